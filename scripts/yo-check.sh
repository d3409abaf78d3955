#!/usr/bin/env bash
# The packed package under the real `yo` (7.x), as a non-root user: yo refuses
# to run as root. Creates the user if needed, installs yo and the tarball into
# that user's own npm prefix, then checks that yo lists the generator, that
# --help and --version answer, that an unattended run with a boolean flag
# value writes the module, and that a misspelt option is refused (exit 2). Needs root (for the user) and the npm registry.
# With a Node.js major, that user's yo runs on that major (the registry's
# node-linux-<arch>@<major>, installed into the same prefix); else on the node on
# the user's PATH.
#
#   scripts/yo-check.sh [user] [major]     (default user: yo-check)
set -euo pipefail
cd "$(dirname "$0")/.."
user="${1:-yo-check}"
major="${2:-}"
case "$(uname -m)" in x86_64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) arch=unknown ;; esac
[ "$(id -u)" = 0 ] || { echo "run as root: it creates and switches to a normal user" >&2; exit 2; }
id "$user" >/dev/null 2>&1 || useradd -m "$user"

work="$(mktemp -d)"
chmod 755 "$work"
npm run build >/dev/null
tarball="$work/$(npm pack --ignore-scripts --silent --pack-destination "$work")"
cp examples/answers.demo.json "$work/answers.json"
chmod 644 "$tarball" "$work/answers.json"
version="$(node -p 'require("./package.json").version')"

# The registry's CA, where this machine needs one: npm's setting (which depends on the node running npm), else Node's.
cafile="$(npm config get cafile)"
[ "$cafile" != null ] || cafile="${NODE_EXTRA_CA_CERTS:-null}"
su - "$user" -s /bin/bash -c "
  set -euo pipefail
  export NO_UPDATE_NOTIFIER=1 PATH=\"\$HOME/.yo-check/bin:\$PATH\"
  [ '$cafile' = null ] || { export NODE_EXTRA_CA_CERTS='$cafile'; npm config set cafile '$cafile'; }
  rm -rf \"\$HOME/.yo-check\"
  [ -z '$major' ] || npm install -g --prefix \"\$HOME/.yo-check\" --no-audit --no-fund --loglevel=error 'node-linux-$arch@$major'
  npm install -g --prefix \"\$HOME/.yo-check\" --no-audit --no-fund --loglevel=error yo@7 '$tarball'
  [ -z '$major' ] || [ \"\$(node -p 'process.versions.node.split(\".\")[0]')\" = '$major' ]
  dir=\$(mktemp -d) && cd \"\$dir\"
  yo --generators | grep -q metaflow-metadata
  [ \"\$(yo metaflow-metadata --version)\" = '$version' ]
  [ \"\$(yo metaflow-metadata -v)\" = '$version' ]
  help=\$(yo metaflow-metadata --help)
  grep -q -- '--api-basic-auth' <<<\"\$help\"
  ! grep -q -E -- '--(skip-install|force-install|skip-cache)' <<<\"\$help\"
  yo metaflow-metadata out --answers '$work/answers.json' --skip-git --api-basic-auth false </dev/null >run.log 2>&1 || { cat run.log; exit 1; }
  grep -q '\"api_basic_auth\": false' out/.yo-rc.json
  set +e; yo metaflow-metadata typo --answers '$work/answers.json' --skip-git --dryrun </dev/null >typo.log 2>&1; status=\$?; set -e
  [ \"\$status\" = 2 ] && grep -q 'did you mean --dry-run' typo.log && [ ! -e typo ] || { echo \"a misspelt option: exit \$status\"; cat typo.log; exit 1; }
  echo \"yo \$(yo --version) on Node \$(node --version) as \$(id -un): lists, --help, --version, an unattended run and refusing a misspelt option all work (generator-metaflow-metadata $version)\"
"
rm -rf "$work"

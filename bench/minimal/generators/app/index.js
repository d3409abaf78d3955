// The reference for `npm run bench`: the smallest useful Yeoman generator, one
// file written through the generator's mem-fs editor.
import Generator from 'yeoman-generator';

export default class MinimalGenerator extends Generator {
  writing() {
    this.fs.write(this.destinationPath('hello.txt'), 'hello\n');
  }
}

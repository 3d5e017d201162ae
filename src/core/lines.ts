// Console output arrives in arbitrary pieces; this cuts it into lines (CR before LF dropped).

export class LineSplitter {
  private partial = '';

  /** The lines `text` completes. */
  push(text: string): string[] {
    this.partial += text;
    const out: string[] = [];
    let i: number;
    while ((i = this.partial.indexOf('\n')) >= 0) {
      out.push(this.partial.slice(0, i).replace(/\r$/, ''));
      this.partial = this.partial.slice(i + 1);
    }
    return out;
  }

  /** The unfinished last line, if any (and forget it). */
  flush(): string | null {
    if (!this.partial) return null;
    const line = this.partial.replace(/\r$/, '');
    this.partial = '';
    return line;
  }
}

# Appends one fenced code block (Rust with a marked line, Python numbered,
# JavaScript, in turn) to every note of a generated corpus but `_index.md`:
# the code-heavy corpus of benches/README.md, "Issue 20". Usage: python3 benches/code_corpus.py DIR
import pathlib, sys
BLOCKS = ['''```rust {2}
fn mass(moles: f64, molar: f64) -> f64 {
    let grams = moles * molar; // grams
    grams / 1000.0
}
```''', '''```python,linenos
def share(part, whole):
    """Percentage, one decimal."""
    return round(100 * part / whole, 1)
```''', '''```js
const total = rows.reduce((a, r) => a + r.value, 0);
console.log(`total: ${total}`);
```''']
root = pathlib.Path(sys.argv[1]) / "content"
for i, p in enumerate(sorted(root.rglob("*.md"))):
    if p.name == "_index.md":
        continue
    p.write_text(p.read_text() + "\n\n" + BLOCKS[i % 3] + "\n")

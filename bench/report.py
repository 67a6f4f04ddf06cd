"""Writing one section of docs/benchmarks.md: each benchmark replaces its
own "## " section (from its heading to the next one) and leaves the
others as they are; a section not there yet is added at the end."""

import os

HERE = os.path.dirname(os.path.abspath(__file__))
PATH = os.path.normpath(os.path.join(HERE, "..", "docs", "benchmarks.md"))
TITLE = ("# Benchmarks\n\nWritten by `make bench` (bench/run.py); rerun it "
         "to refresh.\n")


def write_section(heading, body):
    """heading: "## Something"; body: the lines under it."""
    try:
        with open(PATH) as f:
            doc = f.read()
    except FileNotFoundError:
        doc = TITLE
    text = heading + "\n\n" + body.strip("\n") + "\n"
    start = doc.find(heading + "\n")
    if start < 0:
        doc = doc.rstrip("\n") + "\n\n" + text
    else:
        end = doc.find("\n## ", start + len(heading))
        rest = doc[end + 1:] if end >= 0 else ""
        doc = doc[:start] + text + ("\n" + rest if rest else "")
    with open(PATH, "w") as f:
        f.write(doc)
    print(f"wrote {heading[3:]} in {PATH}")

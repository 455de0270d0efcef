"""Article bodies from Markdown to HTML, with their links resolved; speedups/ holds the optional accelerator."""

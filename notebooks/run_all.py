"""Execute the analyst notebooks against a warehouse and write their HTML copies (and main charts as PNG).

    uv run --frozen python notebooks/run_all.py [--warehouse FILE] [--out DIR] [--write-ipynb]

The jupytext `0X_name.py` files are the source of truth; `--write-ipynb` regenerates their paired `.ipynb` (without
outputs) first. The notebooks read the warehouse from $ZHIBIAO_WAREHOUSE and write PNGs to $ZHIBIAO_NOTEBOOK_OUT,
which this runner sets for each kernel.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jupytext
import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbconvert import HTMLExporter

NOTEBOOKS_DIR = Path(__file__).resolve().parent
DEFAULT_WAREHOUSE = NOTEBOOKS_DIR.parent / "warehouse" / "zhibiao.duckdb"
DEFAULT_OUT = NOTEBOOKS_DIR / "out"


def notebook_sources() -> list[Path]:
    return sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.py"))


def write_paired_ipynb(source: Path) -> Path:
    """The .ipynb of a .py source, without outputs. Cell ids are the notebook's name and the cell's place, so an
    unchanged source writes an unchanged file (jupytext would draw new random ids each time)."""
    target = source.with_suffix(".ipynb")
    target.write_text(paired_ipynb_text(source), encoding="utf-8")
    return target


def paired_ipynb_text(source: Path) -> str:
    notebook = jupytext.read(source)
    for number, cell in enumerate(notebook.cells):
        cell.id = f"{source.stem}-{number:02d}"
    return jupytext.writes(notebook, fmt="ipynb")


def run_notebook(source: Path, warehouse: Path, out_dir: Path, timeout: int = 120) -> tuple[Path, nbformat.NotebookNode]:
    """Execute one notebook in the current interpreter's `python3` kernel; return its HTML copy and the executed
    notebook. A failing cell raises nbclient's CellExecutionError naming the cell."""
    out_dir.mkdir(parents=True, exist_ok=True)
    notebook = jupytext.read(source)
    env = {**os.environ, "ZHIBIAO_WAREHOUSE": str(Path(warehouse).resolve()), "ZHIBIAO_NOTEBOOK_OUT": str(out_dir.resolve())}
    with tempfile.TemporaryDirectory(prefix="zhibiao-kernel-") as sockets:
        # Over local sockets rather than TCP: the kernel then has no unencrypted port to warn about.
        kernel = KernelManager(kernel_name="python3", transport="ipc", ip=str(Path(sockets) / "kernel"))
        client = NotebookClient(
            notebook, km=kernel, timeout=timeout, resources={"metadata": {"path": str(NOTEBOOKS_DIR)}}
        )
        try:
            client.execute(env=env)
        finally:
            if kernel.has_kernel:  # a kernel manager passed in is ours to stop
                kernel.shutdown_kernel()
    html, _ = HTMLExporter(template_name="lab").from_notebook_node(notebook)
    target = out_dir / f"{source.stem}.html"
    target.write_text(html, encoding="utf-8")
    return target, notebook


def run_all(warehouse: Path, out_dir: Path, workers: int = 2) -> list[tuple[Path, nbformat.NotebookNode]]:
    """Every notebook, a few at a time (each in its own kernel: most of a run is the kernel importing Altair)."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda source: run_notebook(source, warehouse, out_dir), notebook_sources()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path,
                        default=Path(os.environ.get("ZHIBIAO_WAREHOUSE", DEFAULT_WAREHOUSE)))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--write-ipynb", action="store_true", help="regenerate the paired .ipynb files first")
    args = parser.parse_args(argv)
    if not args.warehouse.is_file():
        print(f"run_all: no warehouse at {args.warehouse}; run `make build` first", file=sys.stderr)
        return 2
    if args.write_ipynb:
        for source in notebook_sources():
            print(f"{source.name} -> {write_paired_ipynb(source).name}")
    for html, _ in run_all(args.warehouse, args.out):
        print(f"wrote {html}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A build in partitions that an executor can spread over processes or machines: each partition extracts its own
files into Parquet, and one publish step assembles every partition's rows into the warehouse.

A file's partition is the first hex digit of the SHA-256 of its name (relative to the raw folder), so it is known from
the listing alone: a sensor tells which partitions changed without reading a file, and a file keeps its partition
until it is renamed.

What crosses partitions is resolved at publish exactly as `zhibiao build` resolves it in one pass: the same text in
files of two partitions is one document, named by its first file (by name); a report inside two texts (a
compilation) is the document of the text whose first file comes first; a file is a duplicate when a file before it
(by name) holds the same text. A publish from parts is a full build: it derives every region.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import polars as pl

from pipelines import build, ingest, schema, warehouse
from pipelines.documents import reject_furniture_only

KEYS = tuple("0123456789abcdef")
# Per partition: the rows of the documents it extracted, and what a publish needs to resolve the folder as a whole.
ROW_TABLES = ("documents", *warehouse.DOCUMENT_TABLES, "source_texts")
DOC_TEXTS_SCHEMA = {"doc_id": pl.String, "text_sha256": pl.String}
FURNITURE_SCHEMA = {"text_sha256": pl.String, "first_line": pl.String}


def partition_of(name: str) -> str:
    """The partition of a file, from its name relative to the raw folder (POSIX separators)."""
    return hashlib.sha256(os.fsencode(name)).hexdigest()[0]


def partition_folder(parts_dir: Path, key: str) -> Path:
    # hive-style, so DuckDB's read_parquet gives each row its partition as a column
    return Path(parts_dir) / f"key={key}"


def extract_partition(raw_dir: Path, key: str, parts_dir: Path,
                      max_file_bytes: int = ingest.DEFAULT_MAX_BYTES) -> int:
    """Reads and extracts the files of one partition and writes its rows as Parquet into its own folder, replacing
    what an earlier run wrote there (written aside, then renamed). Returns the number of documents extracted."""
    if key not in KEYS:
        raise ValueError(f"{key!r} is not a partition key; the keys are {', '.join(KEYS)}")
    root = Path(raw_dir).resolve(strict=True)
    parts_dir = Path(parts_dir)
    parts_dir.mkdir(parents=True, exist_ok=True)
    reading = ingest.FolderReading(root, max_file_bytes,
                                   skip=lambda path: partition_of(path.relative_to(root).as_posix()) != key)
    scratch = Path(tempfile.mkdtemp(prefix=f".key={key}-", dir=parts_dir))
    try:
        documents = _write_rows(scratch, build.batches_of(reading.texts()))
        warehouse.rows_to_frame("raw_files", reading.raw_files).write_parquet(scratch / "raw_files.parquet")
        warehouse.rows_to_frame("rejected_files", reading.rejected).write_parquet(scratch / "rejected_files.parquet")
        _replace_folder(scratch, partition_folder(parts_dir, key))
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return documents


def _write_rows(folder: Path, batches: Iterable[list[ingest.SourceText]]) -> int:
    """Each batch's rows as one Parquet file per table (a partition's rows are never all in memory). Within the
    partition each document is kept once, from the first text that holds it, as `zhibiao build` keeps it."""
    for table in (*ROW_TABLES, "doc_texts", "furniture"):
        (folder / table).mkdir()
    seen: set[str] = set()
    written = 0
    for number, batch in enumerate(batches):
        extracted = build.extract_batch(batch)
        fresh = [(d, t) for d, t in extracted.doc_texts if d not in seen]
        seen.update(d for d, _ in fresh)
        ids = pl.Series([d for d, _ in fresh], dtype=pl.String).implode()
        frames = {table: frame.filter(pl.col("doc_id").is_in(ids)) for table, frame in extracted.frames.items()}
        frames["facts"] = warehouse.with_fact_ids(frames["facts"])
        # as the build stores them: the texts normalising changed, but not those of page furniture only
        frames["source_texts"] = warehouse.rows_to_frame("source_texts", [
            s for s in batch if s.original_text != s.text and s.text_sha256 not in extracted.furniture])
        frames["doc_texts"] = pl.DataFrame(fresh, schema=DOC_TEXTS_SCHEMA, orient="row")
        frames["furniture"] = pl.DataFrame(list(extracted.furniture.items()), schema=FURNITURE_SCHEMA, orient="row")
        for table, frame in frames.items():
            frame.write_parquet(folder / table / f"{number}.parquet")
        written += len(fresh)
    if not any((folder / "documents").iterdir()):  # an empty partition still has every table
        for table in ROW_TABLES:
            warehouse.rows_to_frame(table, []).write_parquet(folder / table / "0.parquet")
        pl.DataFrame(schema=DOC_TEXTS_SCHEMA).write_parquet(folder / "doc_texts" / "0.parquet")
        pl.DataFrame(schema=FURNITURE_SCHEMA).write_parquet(folder / "furniture" / "0.parquet")
    return written


def _replace_folder(new: Path, folder: Path) -> None:
    """Puts `new` in the place of `folder`. A folder cannot be replaced by one rename: the old one is renamed aside
    first, so a reader sees the old rows or the new ones, never a mixture, and a failed run leaves the old ones."""
    old = folder.with_name(f".{folder.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    new.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


def publish_parts(parts_dir: Path, target: Path, gdp: pl.DataFrame, raw_dir: Path) -> None:
    """Assembles a staging warehouse from every partition's Parquet (DuckDB reads it out of core), resolves what
    crosses partitions as `zhibiao build` does, derives, checks and publishes by atomic replace."""
    parts_dir = Path(parts_dir)
    missing = [key for key in KEYS if not partition_folder(parts_dir, key).is_dir()]
    if missing:
        raise FileNotFoundError(f"partitions {', '.join(missing)} have no rows under {parts_dir}: extract them first "
                                "(nothing was published)")
    staging = warehouse.staging_path(target)
    with warehouse.single_writer(target):
        warehouse.remove_stale_staging(target.parent)
        con = warehouse.open_staging(staging)
        try:
            _assemble(con, parts_dir, gdp, raw_dir)
            con.close()
        except BaseException:
            con.close()
            warehouse.discard_staging(staging)
            raise
    build.publish_staged(target, staging, None)


def _assemble(con, parts_dir: Path, gdp: pl.DataFrame, raw_dir: Path) -> None:
    def parquet(table: str) -> str:
        return f"read_parquet('{parts_dir}/key=*/{table}/*.parquet', hive_partitioning = true)"

    raw_files, rejected = _folder_rows(parts_dir)
    furniture = dict(con.execute(f"SELECT DISTINCT text_sha256, first_line FROM {parquet('furniture')}").fetchall())
    raw_files, rejected = reject_furniture_only(raw_files, rejected, furniture)
    names = build.names_by_text(raw_files)
    # a text's rows are taken from the partition of its first file: the file `zhibiao build` reads it from
    con.register("_names", names.with_columns(
        key=pl.col("source_file").map_elements(partition_of, return_dtype=pl.String)).to_arrow())
    # each document once: from the text whose first file comes first, as read there
    con.execute(f"""CREATE TEMP TABLE chosen AS
        SELECT doc_id, key, source_file, source_files FROM (
            SELECT d.doc_id, d.key, n.source_file, n.source_files,
                   row_number() OVER (PARTITION BY d.doc_id ORDER BY n.source_file) AS rank
            FROM {parquet('doc_texts')} d JOIN _names n ON n.text_sha256 = d.text_sha256 AND n.key = d.key)
        WHERE rank = 1""")
    warehouse.create_tables(con, {t: warehouse.rows_to_frame(t, []) for t in ROW_TABLES})
    con.execute(f"""INSERT INTO documents BY NAME
        SELECT r.* EXCLUDE (key) REPLACE (c.source_file AS source_file, c.source_files AS source_files)
        FROM {parquet('documents')} r JOIN chosen c USING (doc_id, key)""")
    for table in warehouse.DOCUMENT_TABLES:
        named = "source_file" in schema.polars(table)
        columns = "r.* EXCLUDE (key) REPLACE (c.source_file AS source_file)" if named else "r.* EXCLUDE (key)"
        con.execute(f"INSERT INTO {table} BY NAME SELECT {columns} "
                    f"FROM {parquet(table)} r JOIN chosen c USING (doc_id, key)")
    con.execute(f"""INSERT INTO source_texts BY NAME
        SELECT r.* EXCLUDE (key) REPLACE (n.source_file AS source_file)
        FROM {parquet('source_texts')} r JOIN _names n ON n.text_sha256 = r.text_sha256 AND n.key = r.key""")
    con.unregister("_names")
    warehouse.create_tables(con, build.folder_tables(raw_dir, raw_files, rejected, gdp))


def _folder_rows(parts_dir: Path) -> tuple[list[ingest.RawFile], list[ingest.RejectedFile]]:
    """Every partition's file rows as one folder's: sorted by name, each once (a folder that could not be listed is
    in every partition's rows), and a file holding a text a file before it holds is a duplicate."""
    def rows(name: str) -> list[dict]:
        frames = [pl.read_parquet(partition_folder(parts_dir, key) / name) for key in KEYS]
        return pl.concat(frames).unique("source_file").sort("source_file").to_dicts()

    files, seen = [], set()
    for row in rows("raw_files.parquet"):
        file = ingest.RawFile(**row)
        if file.status != "rejected":
            file = dataclasses.replace(file, status="duplicate" if file.text_sha256 in seen else "read")
            seen.add(file.text_sha256)
        files.append(file)
    return files, [ingest.RejectedFile(**row) for row in rows("rejected_files.parquet")]

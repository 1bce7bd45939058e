"""Ingestion: a user's file in, a validated canonical frame out (the edge of the picture).

A file is validated once, here, where it enters; nothing in this package touches the store. Its
parts, in the order a file goes through them: ``contract`` (the single list of column names,
the accepted spellings, the reading of a header), ``limits`` (what a file may hold, checked as
it is read), ``reading`` (CSV in any delimiter and encoding, gzip, XLSX: cells as text),
``totals`` and ``reshaping`` (total rows and columns checked and left out, dates, the long
shape, summing), ``cells`` and ``checks`` (each distinct text parsed once; every problem
collected before the file is refused), ``validation`` (``validate``: the canonical frame) and
``parse`` (``parse_file``: one file read, mapped and validated into a ``ParsedFile``).
"""

from parity.ingest.limits import Limits
from parity.ingest.parse import ParsedFile, parse_file, sha256_of
from parity.ingest.reading import read_table
from parity.ingest.validation import validate

__all__ = ["Limits", "ParsedFile", "parse_file", "read_table", "sha256_of", "validate"]

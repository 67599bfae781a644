"""Run Ralph's LRS API (ralph-malph) with its filesystem backend for the xAPI tests.

Ralph 5.1.0's filesystem LRS backend writes every statement batch with the "create" operation,
which refuses to write to its statements file once it exists: the second POST gets a 500
("fs_lrs.jsonl already exists and overwrite is not allowed"). Its "append" operation is the one
an LRS needs, so this entry point makes it the backend's default before the app starts; nothing
else of Ralph changes. (Production deployments use its Elasticsearch, ClickHouse or MongoDB
backends; see docs/for-authors/lms.md.)

Usage: python ralph_server.py HOST PORT   (settings come from RALPH_* environment variables)
"""

from __future__ import annotations

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", host=sys.argv[1], port=int(sys.argv[2]), log_level="warning")

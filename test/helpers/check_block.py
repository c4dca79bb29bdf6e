"""Judge blocks with python-bitcoinlib's CheckBlock (regtest parameters): one block hex per line in,
one JSON verdict per line out. An independent parser and checker, not powlab's own code."""
import json
import sys

import bitcoin
from bitcoin.core import CBlock, CheckBlock, b2lx, x

bitcoin.SelectParams('regtest')

for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    try:
        block = CBlock.deserialize(x(line))
        CheckBlock(block)
        print(json.dumps({"ok": True, "hash": b2lx(block.GetHash()), "prev": b2lx(block.hashPrevBlock)}))
    except Exception as error:  # every failure is a verdict to report, not a crash
        print(json.dumps({"ok": False, "error": f"{type(error).__name__}: {error}"}))

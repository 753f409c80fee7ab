"""The public contract as the tests read it: the repository's copy of `../shared/contract`.

The copy lets a clone without the steering files run every test; `tests/unit/test_contract.py`
checks that it has not drifted from `../shared/contract` wherever that is present (CI).
"""

from __future__ import annotations

from pathlib import Path

REPO_CONTRACT = Path(__file__).resolve().parents[1] / "contract"
SHARED_CONTRACT = Path(__file__).resolve().parents[2] / "shared" / "contract"


def operation(name: str) -> str:
    """An operation frontends send, verbatim (`dashboard`, `place-hold`, `renew-all`, `search-page`)."""
    return (REPO_CONTRACT / "operations" / f"{name}.graphql").read_text(encoding="utf-8")


def contract_sdl() -> str:
    """The contract's SDL."""
    return (REPO_CONTRACT / "schema.graphql").read_text(encoding="utf-8")

from dataclasses import dataclass

import pytest

from summarize.hashing import digest, digest_with


@dataclass
class Part:
    name: str
    numbers: list[int]


def test_a_digest_does_not_depend_on_key_order_and_reads_bytes_and_dataclasses():
    assert digest({"a": 1, "b": 2}) == digest({"b": 2, "a": 1})
    assert digest({"a": 1}) != digest({"a": 2}) and digest("a", "b") != digest("ab")
    assert digest(b"\x00raw") == digest(b"\x00raw") != digest(b"\x00other")
    assert digest(Part("x", [1, 2])) == digest({"name": "x", "numbers": [1, 2]})
    assert len(digest("Hà Nội", length=16)) == 16
    with pytest.raises(TypeError, match="cannot fingerprint object"):
        digest(object())


@pytest.mark.parametrize("first, rest", [
    (("review page", "1.0", "<html>{{ x }}</html>"), ("2026-12-03", Part("Hà Nội", [1]))),
    (({"b": 1, "a": [2, 3]},), ({"z": None},)),
    ((b"bytes",), ("one", "two", 3.5)),
])
def test_digest_with_gives_the_digest_of_all_the_parts(first, rest):
    assert digest_with(*first)(*rest) == digest(*first, *rest)
    finish = digest_with(*first)
    assert finish(*rest) == finish(*rest)  # the shared start is not consumed by a first use

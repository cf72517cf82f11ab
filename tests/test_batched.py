"""What both tokenizer engines share (engines/batched.py), without torch: batches under the
padded-token budget, and a batch that runs out of device memory split and retried."""

import pytest

from summarize.models.engines import Runtime
from summarize.models.engines.batched import BatchedModel, batches
from summarize.models.registry import ModelSpec
from summarize.settings import Tuning


class OutOfMemory(RuntimeError):
    pass


class WordTokenizer:
    """One token per word, plus an end token."""

    def __call__(self, texts, add_special_tokens=True):
        return {"input_ids": [[0] * (len(t.split()) + 1) for t in texts]}


class SmallDevice(BatchedModel):
    """Upper-cases its inputs; any batch of more than `fits` inputs runs out of memory."""

    backend = "fake"

    def __init__(self, tuning: Tuning, fits: int):
        super().__init__(ModelSpec(name="m", stage="translation", model="m", input_prefix="vi: "), Runtime(tuning=tuning))
        self.tokenizer = WordTokenizer()
        self.fits, self.calls, self.recovered = fits, [], 0

    def _generate_batch(self, inputs):
        self.calls.append(len(inputs))
        if len(inputs) > self.fits:
            raise OutOfMemory("CUDA out of memory")
        return [t.upper() for t in inputs]

    def _out_of_memory(self, exc):
        return isinstance(exc, OutOfMemory)

    def _recover(self):
        self.recovered += 1


TEXTS = [f"câu số {i} " + "chữ " * (i % 5) for i in range(12)]


def test_batches_stay_under_the_padded_token_budget_and_the_sequence_limit():
    lengths = [10, 9, 9, 8, 3, 3, 2, 2]
    assert batches(list(range(8)), lengths, Tuning(batch_tokens=30, max_batch=8)) == [[0, 1, 2], [3, 4, 5], [6, 7]]
    assert batches(list(range(8)), lengths, Tuning(batch_tokens=10_000, max_batch=3)) == [[0, 1, 2], [3, 4, 5], [6, 7]]
    assert batches([0], [5000], Tuning(batch_tokens=10)) == [[0]]  # a long input still goes alone


def test_a_batch_that_runs_out_of_memory_is_split_and_retried_and_the_budget_shrinks():
    model = SmallDevice(Tuning(batch_tokens=10_000, max_batch=12), fits=3)
    seen = []
    outputs = model.generate(TEXTS, on_batch=lambda inputs, outs: seen.append((inputs, outs)))
    assert outputs == [("VI: " + t.upper()).strip() for t in TEXTS]  # every input, in order
    assert model.calls[:3] == [12, 6, 3] and model.recovered >= 2
    assert model.tuning.max_batch <= 3 and max(model.calls[model.calls.index(3):]) <= 3  # no more failures
    assert sorted(i for inputs, _ in seen for i in inputs) == sorted(TEXTS)  # every batch was reported


def test_one_input_that_does_not_fit_and_other_errors_are_raised():
    with pytest.raises(OutOfMemory):
        SmallDevice(Tuning(), fits=0).generate(["một"])

    class Broken(SmallDevice):
        def _generate_batch(self, inputs):
            raise ValueError("not a memory problem")

    model = Broken(Tuning(), fits=10)
    with pytest.raises(ValueError):
        model.generate(TEXTS)
    assert model.tuning == Tuning()  # only running out of memory changes the budget


def test_an_input_over_the_entry_limit_is_refused_not_truncated():
    model = SmallDevice(Tuning(), fits=10)
    with pytest.raises(ValueError, match="exceeds 512"):
        model.generate(["chữ " * 600])

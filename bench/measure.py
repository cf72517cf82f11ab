"""What the bench scripts share: realistic output lengths forced on random-weight models, and
synthetic days of distinct articles built from the seeds' sentences. Imported by bench/run.py,
isa.py, levers.py and scale.py (run as scripts from this folder, so no path is edited)."""

from __future__ import annotations

import itertools
import math
import random
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATION_RATIO = 1.3
SUMMARY_TOKENS = (60, 140)
LONGEST_JOIN = 3  # seed sentences run together into each sentence of the day of the longest sentences
CONVERTED = Path(tempfile.gettempdir()) / "summarize-bench-converted"  # CTranslate2 models, converted once


def filler_ids(tokenizer) -> list[int]:
    """The tokens forced translations are made of: the tokenizer's vocabulary in order, without
    special tokens (distinct, so no n-gram repeats), so every engine writes the same English
    for the summarizer to read, about as long as a real translation."""
    special = set(tokenizer.all_special_ids)
    return [i for i in range(len(tokenizer)) if i not in special]


def force_lengths(model, targets_for, text: bool) -> None:
    """Make the model's generate() stop each sequence at a realistic length; with `text`, the
    top beam writes filler's tokens (a bonus far above any log-probability)."""
    import torch
    from transformers import LogitsProcessor, LogitsProcessorList

    tokenizer = model.tokenizer
    eos, vocab = tokenizer.eos_token_id, len(tokenizer)
    beams = model.settings.get("num_beams", 1)
    filler = torch.tensor(filler_ids(tokenizer))

    class ForcedLength(LogitsProcessor):
        def __init__(self, targets):
            self.targets = targets.repeat_interleave(beams)

        def __call__(self, input_ids, scores):
            step = input_ids.shape[1] - 1
            scores[:, vocab:] = -math.inf  # random weights: stay inside the tokenizer's vocabulary
            done = self.targets <= step
            scores[~done, eos] = -math.inf
            if text:
                scores[~done, filler[step % len(filler)]] += 1e4
            scores[done] = -math.inf
            scores[done, eos] = 0.0
            return scores

    def generate(call, *args, **kwargs):
        targets = targets_for(kwargs["attention_mask"].sum(1))
        kwargs["logits_processor"] = LogitsProcessorList([ForcedLength(targets)])
        kwargs["max_new_tokens"] = int(targets.max()) + 2
        kwargs["min_new_tokens"] = 0
        return call(*args, **kwargs)

    model.decode_hook = generate  # the Model interface's way in: each batch's generate() goes through it
    torch.manual_seed(0)


def translation_targets(lengths):
    return (lengths.float() * TRANSLATION_RATIO).ceil().long()


def summary_targets(lengths):
    low, high = SUMMARY_TOKENS
    return (lengths.float() / 8).round().long().clamp(low, high)


def force_ctranslate2_lengths(model, targets_for, text: bool) -> None:
    """The same forced lengths for a CTranslate2 model, each sequence its own. CTranslate2
    drops a finished sequence from its batch, so a real model's batch costs what its outputs'
    own lengths cost; forcing every sequence to its batch's longest overstated that by 12 %
    on the seeds in batches of 8 (52 % in batches of 32). Beam search follows a target prefix
    of filler's tokens ending with the end token, through CTranslate2's prefix bias (an end
    token inside a hard prefix does not end a sequence); the bias cost about 3 % more per
    token when measured once (8 × 61 tokens, median of 5: 8.83 s against 8.55 s forced the
    old way), so these figures are if anything slow. Greedy decoding stops each
    sequence from the step callback, and with `text` follows the same tokens as a hard prefix.
    Either way a sequence runs its target + 1 steps, as in force_lengths."""
    import torch

    tokenizer = model.tokenizer
    filler = tokenizer.convert_ids_to_tokens(filler_ids(tokenizer))

    def forced(prefix: list[str] | None, target: int) -> list[str]:
        prefix = prefix or []
        return prefix + list(itertools.islice(itertools.cycle(filler), target - len(prefix))) + [tokenizer.eos_token]

    def translate_batch(original, source, target_prefix=None, **options):
        targets = [int(t) for t in targets_for(torch.tensor([len(s) for s in source]))]
        prefixes = [forced(p, t) for p, t in zip(target_prefix or [None] * len(source), targets)]
        steps = max(targets) + 1
        if options.get("beam_size", 1) > 1:
            return original(source, target_prefix=prefixes, **{
                **options, "prefix_bias_beta": 0.999, "length_penalty": 0, "min_decoding_length": 0,
                "max_decoding_length": steps + 1})
        return original(source, target_prefix=prefixes if text else target_prefix, **{
            **options, "min_decoding_length": steps, "max_decoding_length": steps,
            "callback": lambda step: step.step >= targets[step.batch_id]})

    model.decode_hook = translate_batch  # each batch's translate_batch() goes through it


def synthetic_day(size: int, folder: Path, seed: int = 0, join: int = 1) -> Path:
    """`size` articles assembled from the seeds' sentences: a title and 3–6 paragraphs of 2–4
    sentences. Each sentence has its words rotated and two of them swapped, so no two articles
    share a sentence: the translator translates each distinct sentence once, and repeats
    would make a day unrealistically cheap. With `join` > 1, each sentence is `join` of them
    run together without their full stops (the longest sentences, for peak memory)."""
    from summarize.reading.cleaner import clean
    from summarize.reading.segmenter import split_sentences

    seeds = [clean(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    sentences = [s.split() for a in seeds for p in a.body for s in split_sentences(p) if len(s.split()) > 3]
    titles = [a.title for a in seeds if a.title]
    rng = random.Random(seed)
    used: set[str] = set()

    def fresh() -> str:
        while True:
            words = rng.choice(sentences)
            turn = rng.randrange(len(words))
            words = words[turn:] + words[:turn]
            i, j = rng.sample(range(len(words)), 2)
            words[i], words[j] = words[j], words[i]
            text = " ".join(words)
            if text not in used:
                used.add(text)
                return text

    def sentence() -> str:
        return fresh() if join == 1 else ", ".join(fresh().replace(".", "").replace("?", "") for _ in range(join))

    folder.mkdir(parents=True, exist_ok=True)
    for n in range(size):
        paragraphs = [" ".join(sentence() for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(3, 6))]
        (folder / f"article-{n:04d}.txt").write_text(rng.choice(titles) + "\n\n" + "\n\n".join(paragraphs), "utf-8")
    return folder

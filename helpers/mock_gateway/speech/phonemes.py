"""From Piper's per-phoneme sample counts to word and phoneme times.

Piper speaks a string of phoneme symbols (one codepoint each, words separated by spaces) and
reports how many samples each symbol took. Here the text's words are mapped to those phoneme
words, and the symbols are grouped into phonemes the way Cartesia lists them ("oʊ", not "o", "ʊ").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

import numpy as np
from piper import PiperVoice
from piper.const import BOS, EOS, PAD
from piper.voice import PhonemeAlignment

from .. import undocumented as guess
from .timed_speech import PhonemeTiming, WordTiming

_STRESS = frozenset("ˈˌ")  # belong to the phoneme after them


def _phoneme_words(voice: PiperVoice, text: str) -> list[str]:
    """The phoneme words Piper's phonemizer makes of text, symbols the voice lacks left out."""
    known = voice.config.phoneme_id_map
    sentences = voice.phonemize(text)
    flat = " ".join("".join(symbol for symbol in s if symbol in known) for s in sentences)
    return flat.split()


def word_groups(voice: PiperVoice, text: str, tokens: Sequence[str]) -> list[str]:
    """The phonemes of each whitespace token of text ("" for a token that is not spoken).

    The whole text is phonemized at once (stress and linking follow the context); when its
    phoneme words cannot be shared out among the tokens, each token is phonemized on its own.
    """
    whole = _phoneme_words(voice, text)
    alone = [_phoneme_words(voice, token) for token in tokens]
    if sum(len(words) for words in alone) != len(whole):
        return [" ".join(words) for words in alone]
    groups, used = [], 0
    for words in alone:
        groups.append(" ".join(whole[used : used + len(words)]))
        used += len(words)
    return groups


def _sounds(symbol: str) -> bool:
    return unicodedata.category(symbol)[0] in "LM"  # letters and marks, not punctuation


def _spans(alignments) -> list[tuple[str, int, int]]:
    """(symbol, first sample, end sample) of every symbol between Piper's start and end marks."""
    cursor, spans = alignments[0].num_samples, []
    for alignment in alignments[1:-1]:
        spans.append((alignment.phoneme, cursor, cursor + int(alignment.num_samples)))
        cursor += int(alignment.num_samples)
    return spans


def _group_phonemes(spans: Sequence[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Symbols of one word merged into phonemes: stress marks, length marks, diphthongs."""
    phonemes: list[list] = []
    pending_start = None
    for symbol, start, end in spans:
        if not _sounds(symbol):
            continue
        if symbol in _STRESS:
            pending_start = start if pending_start is None else pending_start
            continue
        extends = unicodedata.category(symbol) == "Lm" or unicodedata.combining(symbol)  # ː ʲ
        if phonemes and (extends or phonemes[-1][0] + symbol in guess.JOINED_PHONEMES):
            phonemes[-1][0] += symbol
            phonemes[-1][2] = end
            continue
        phonemes.append([symbol, start if pending_start is None else pending_start, end])
        pending_start = None
    return [(p[0], p[1], p[2]) for p in phonemes]


def phoneme_timings(
    alignments, tokens: Sequence[str], groups: Sequence[str], scale: float, offset: float
) -> tuple[tuple[WordTiming, ...], tuple[PhonemeTiming, ...]]:
    """Word times (one per token with phonemes) and phoneme times, in seconds from offset.

    alignments are Piper's, for the string " ".join(non-empty groups); scale is seconds per
    sample of the synthesized audio.
    """
    spans = _spans(alignments)
    words, phones, cursor = [], [], 0

    def seconds(sample: int) -> float:
        return round(sample * scale + offset, 3)

    for token, group in zip(tokens, groups, strict=True):
        if not group:
            continue
        mine = spans[cursor : cursor + len(group)]
        cursor += len(group) + 1  # and the space after it
        sounding = [span for span in mine if _sounds(span[0])]
        if not sounding or not any(c.isalnum() for c in token):
            continue  # e.g. a lone "-": no word
        words.append(WordTiming(token, seconds(sounding[0][1]), seconds(sounding[-1][2])))
        phones += [PhonemeTiming(p, seconds(s), seconds(e)) for p, s, e in _group_phonemes(mine)]
    return tuple(words), tuple(phones)


def id_alignments(
    symbols: Sequence[str], id_samples: np.ndarray, id_map: Mapping[str, Sequence[int]]
) -> list[PhonemeAlignment]:
    """Samples per phoneme symbol from samples per phoneme id, as Piper groups them: the start
    mark, then each symbol with the pad after it, then the end mark."""
    pad = len(id_map[PAD])
    sizes = [len(id_map[BOS]) + pad, *(len(id_map[s]) + pad for s in symbols), len(id_map[EOS])]
    if sum(sizes) != len(id_samples):
        raise RuntimeError(f"Piper could not align the phonemes {''.join(symbols)!r}")
    bounds = np.cumsum([0, *sizes])
    return [
        PhonemeAlignment(symbol, [], int(np.sum(id_samples[a:b])))
        for symbol, a, b in zip([BOS, *symbols, EOS], bounds, bounds[1:], strict=False)
    ]

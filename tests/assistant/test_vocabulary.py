"""The vocabulary holds general terms: title words that really are common to many documents, question
words that are ordinary Chinese, and no number, sentence or company situation copied from a question."""

import re

import pytest

from assistant import vocabulary as v
from retrieval.corpus import load_corpus
from retrieval.normalize import normalize


@pytest.fixture(scope="module")
def corpus_text() -> str:
    corpus = load_corpus()
    return normalize(" ".join([d.title for d in corpus] + [c.text for c in corpus.clauses]))


def test_title_words_called_generic_occur_in_several_documents():
    corpus = load_corpus()
    texts = [normalize(d.title + " " + " ".join(c.text for c in d.clauses)) for d in corpus]
    rare = [w for w in v.TITLE_GENERIC if sum(1 for t in texts if w in t) < 2]
    assert rare == []


def test_question_words_are_short_general_terms(corpus_text):
    # A general question word is short; a longer entry must at least be language the corpus itself uses.
    odd = [w for w in v.QUESTION_WORDS if len(w) > 3 and w not in corpus_text]
    assert odd == []


def test_no_entry_carries_a_number():
    entries = [*v.TITLE_GENERIC, *v.QUESTION_WORDS]
    patterns = [p.pattern for p in vars(v).values() if isinstance(p, re.Pattern)]
    patterns += [p.pattern for p in v.OUTSIDE_DOMAINS.values()]
    with_numbers = [e for e in entries if re.search(r"\d", e)]
    # Quantifiers ({1,8}, {4}) and code points (\u4e00) are regex syntax, not numbers of a question.
    bare = [re.sub(r"\\u[0-9a-f]{4}|\{\d+(,\d*)?\}|\\d", "", p) for p in patterns]
    with_numbers += [p for p in bare if re.search(r"\d{2,}", p)]
    assert with_numbers == []


@pytest.mark.parametrize("domain", sorted(v.OUTSIDE_DOMAINS))
def test_outside_domains_name_administrative_domains_not_questions(domain):
    assert not re.search(r"[？?吗呢]", domain)


@pytest.mark.parametrize("said", ["这是正式文件吗", "区里自己的文件有哪些", "这份文件现在还有效吗"])
def test_patterns_match_words_as_normalization_writes_them(said):
    # tw2sp writes 文件 as 文档: a pattern must match the normalized text the reader sees
    text = normalize(said)
    assert v.VALIDITY.search(text) or v.OWN_LEVEL.search(text)

"""The fingerprint and the near-duplicate matcher, pinned where a change would silently stop matching.

Written from the mutants bench/mutation.py found surviving in articles/ingest/dedup.py.
"""
import pytest

from articles.ingest.dedup import MAX_CHARS, NearDuplicates, bands, fingerprint_text, hamming, simhash

LINE = "抓基层、打基础，是我们党治国理政、管党治党的固本之策。"


def test_fingerprints_stay_the_same_across_releases():
    # Stored articles keep the fingerprint they were imported with and new pages are compared with
    # it: any change to the hash (a constant, a shift, the shingles) would stop every repost of an
    # article imported before the change from being found.
    assert simhash(LINE) == 6846175872211018816
    assert simhash("") == 6341470659804223015
    assert simhash("a") == 5205100562592179682
    assert simhash("ab") == -2520686443210394647  # past 2**63: stored as a signed bigint


def test_what_the_fingerprint_reads_is_letters_and_digits_folded():
    assert fingerprint_text("Ｈｅｌｌｏ， 世界！_2024") == "hello世界2024"
    assert fingerprint_text("抓基層、打基礎") == "抓基层打基础"
    assert fingerprint_text("ignored", folded="a b，c") == "abc"  # the caller's fold_text() is reused
    assert simhash("ignored", folded=LINE) == simhash(LINE)


def test_only_the_first_characters_count():
    body = "党建" * (MAX_CHARS // 2)
    assert simhash(body + "完全不同的结尾文字" * 50) == simhash(body)
    assert simhash(body[:-1] + "变") != simhash(body)


def test_bands_are_the_four_16_bit_words_of_the_unsigned_value():
    assert bands(0x0004_0003_0002_0001) == (1, 2, 3, 4)
    assert bands(-1) == (0xFFFF,) * 4
    assert bands(-(2**63)) == (0, 0, 0, 0x8000)


def test_hamming_counts_the_64_bits_of_signed_values():
    assert hamming(0, 1) == 1
    assert hamming(-1, 0) == 64
    assert hamming(-(2**63), 2**63 - 1) == 64
    assert hamming(5, 5) == 0


def test_the_earliest_added_match_wins_even_when_found_in_a_later_band():
    near = NearDuplicates(3)
    near.add(1, "first")  # differs from 0 in band 0, shares bands 1-3
    near.add(1 << 16, "second")  # differs from 0 in band 1, shares band 0 (looked at first)
    assert near.find(0) == "first"


def test_given_bands_are_the_ones_indexed():
    near = NearDuplicates(3)
    near.add(0, "stored", banded=(9, 9, 9, 9))  # a stored row's bands, as the database holds them
    assert near.find(0) is None


@pytest.mark.parametrize("distance", [0, 1, 2, 3])
def test_a_match_is_within_the_distance_and_no_farther(distance):
    near = NearDuplicates(distance)
    near.add(0, "a")
    assert near.distance == distance
    assert near.find((1 << distance) - 1) == "a"  # `distance` bits apart, all in band 0
    assert near.find((1 << (distance + 1)) - 1) is None


@pytest.mark.parametrize("distance", [-1, 4])
def test_a_distance_outside_what_the_bands_guarantee_is_refused(distance):
    with pytest.raises(ValueError) as refused:
        NearDuplicates(distance)
    assert str(refused.value) == (f"a near-duplicate distance must be between 0 and 3 bits (got {distance}): "
                                  "four 16-bit bands only guarantee to find fingerprints that close")

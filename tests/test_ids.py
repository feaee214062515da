from godwit.domain.ids import RANDOM_BITS, IdGenerator, parse_id, timestamp_ms


def test_ids_sort_by_time_and_carry_the_timestamp() -> None:
    generator = IdGenerator()
    earlier = generator.new(at_ms=1_700_000_000_000)
    later = generator.new(at_ms=1_700_000_000_001)
    assert earlier < later
    assert timestamp_ms(earlier) == 1_700_000_000_000
    assert later < (1 << 63)


def test_ids_in_one_millisecond_are_unique_and_not_sequential() -> None:
    generator = IdGenerator()
    ids = [generator.new(at_ms=1_700_000_000_000) for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    consecutive = sum(1 for a, b in zip(sorted(ids), sorted(ids)[1:], strict=False) if b == a + 1)
    # 2000 draws from 65536 slots: a handful of neighbours by chance, never a walkable run.
    assert consecutive < 200
    assert all(i >> RANDOM_BITS == 1_700_000_000_000 for i in ids)


def test_parse_id_accepts_only_well_formed_positive_ids() -> None:
    assert parse_id("123") == 123
    assert parse_id(123) == 123
    for bad in ("", "-1", "0", "1e3", "abc", "9" * 20, True, None, 1.5, " 12", "١٢"):
        assert parse_id(bad) is None

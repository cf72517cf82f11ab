"""Vietnamese quantity words and their English equivalents, in one table each: the figure
renderer writes `8,85 tỷ tấn` as `8.85 billion tonnes` with them, and the checks read a figure's
value (`8.85 billion` is 8,850,000,000) with the same multipliers."""

from __future__ import annotations

import re

# Vietnamese multiplier → (English word, value). "nghìn tỷ" (a thousand billions) is one unit.
MULTIPLIERS: dict[str, tuple[str, float]] = {
    "nghìn tỷ": ("trillion", 1e12), "nghìn tỉ": ("trillion", 1e12),
    "ngàn tỷ": ("trillion", 1e12), "ngàn tỉ": ("trillion", 1e12),
    "tỷ": ("billion", 1e9), "tỉ": ("billion", 1e9), "triệu": ("million", 1e6),
    "nghìn": ("thousand", 1e3), "ngàn": ("thousand", 1e3),
}

# Every multiplier word a figure in English or Vietnamese text may carry → its value.
MULTIPLIER_VALUES: dict[str, float] = {
    **{english: value for english, value in MULTIPLIERS.values()},
    **{vietnamese: value for vietnamese, (_, value) in MULTIPLIERS.items()},
}

# Units written after an amount → their English form.
UNITS: dict[str, str] = {
    "đô la Mỹ": "US dollars", "đô la": "dollars", "USD": "USD", "đồng": "dong", "VND": "VND", "VNĐ": "VND",
    "euro": "euros", "EUR": "EUR", "Euro": "euros", "nhân dân tệ": "yuan", "NDT": "yuan", "yên": "yen", "rúp": "roubles",
    "bảng Anh": "pounds", "tấn": "tonnes", "km": "km", "km2": "km²", "kg": "kg", "ha": "hectares", "hecta": "hectares",
    "MW": "MW", "GW": "GW", "thùng": "barrels", "lít": "litres", "mét": "metres", "m": "m", "cm": "cm",
    "mm": "mm", "độ C": "°C", "m/s": "m/s", "km/giờ": "km/h", "km/h": "km/h", "kV": "kV", "kWh": "kWh",
    "mAh": "mAh", "inch": "inches", "GB": "GB", "lần": "times", "tuổi": "years old",
}

# What a price or rate is per, after a slash (`66,5 triệu đồng/lượng`) → the English singular.
PER_UNITS: dict[str, str] = {
    "lượng": "tael", "chỉ": "chi", "lít": "litre", "kg": "kg", "tấn": "tonne", "thùng": "barrel", "m2": "m²",
    "người": "person", "tháng": "month", "năm": "year", "ngày": "day", "cổ phiếu": "share", "kWh": "kWh",
    "ounce": "ounce", "USD": "USD", "km": "km",
}

# Units of time after a count (`6 tháng` → `6 months`) → the English singular.
DURATIONS: dict[str, str] = {
    "năm": "year", "tháng": "month", "tuần": "week", "ngày": "day", "giờ": "hour", "phút": "minute",
    "giây": "second", "thập kỷ": "decade", "thế kỷ": "century",
}


def alternation(words) -> str:
    """A regex alternation of `words`, longest first, so `nghìn tỷ` wins over `nghìn`."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

"""The long tail of surnames: the many rare surnames of each language, formed the way the language
forms them (a stem, most often from a given name or an everyday word, and a surname suffix).

Real surname frequencies have a few common names and a very long tail of rare ones: about 50,000
surnames are registered in Lithuania, and the commonest, Kazlauskas, was borne by 0.37 % of the
population in 2014. The pools of names_*.py list only a few hundred common names; the surnames
formed here stand for the rest (names.py draws them). They look like real surnames (Jonaitis,
Petrauskas, Гнатенко, Кравців, Тарасов, Robertson) and some are; that is the point, not a defect.
Masculine forms, as in the listed pools; names.py derives the feminine forms.

Each language forms tens of thousands of them (Lithuanian about 50,000, the registered count;
the others as many, surnames being at least as varied there): with a tail of a few thousand, a
demo file of a million records, a quarter of a country, gave every rare surname dozens of
bearers, a namesake density no country has.
"""

from __future__ import annotations

from collections.abc import Iterable

# --- Lithuanian ---------------------------------------------------------------------------------

# Stems of given names and old personal names, and everyday words (trades, animals, features).
LITHUANIAN_STEMS = (
    "Adom", "Aleks", "Alg", "Ambr", "Andr", "Ant", "Arm", "Aug", "Bab", "Bag", "Bakš", "Bal",
    "Balt", "Bar", "Bart", "Bed", "Bern", "Bir", "Blaž", "Bog", "Bran", "Bud", "Bujok", "But",
    "Čep", "Čern", "Dag", "Dam", "Dan", "Dar", "Daug", "Dir", "Dov", "Drag", "Dūd", "Ged", "Gaid",
    "Gal", "Gar", "Gaud", "Gerd", "Gin", "Gir", "Gled", "Grab", "Grig", "Grin", "Gud", "Gul",
    "Ign", "Jak", "Jan", "Jas", "Jod", "Jok", "Jon", "Jud", "Juk", "Jur", "Kairel", "Kal", "Kam",
    "Kar", "Kaz", "Kerb", "Kin", "Kir", "Klim", "Kond", "Kos", "Kriv", "Kub", "Kuk", "Kup", "Kurš",
    "Lab", "Lap", "Lauk", "Lauž", "Lek", "Lin", "Liud", "Lukš", "Mack", "Mak", "Mal", "Man", "Mar",
    "Mat", "Maž", "Merk", "Mik", "Mil", "Mind", "Mis", "Mock", "Mor", "Narb", "Naus", "Nem", "Nor",
    "Ok", "Pak", "Pal", "Pan", "Pauk", "Pet", "Pil", "Pran", "Pukš", "Rad", "Rak", "Ram", "Rauk",
    "Rim", "Rop", "Rud", "Rug", "Sab", "Sak", "Sam", "Sav", "Sirv", "Skir", "Smal", "Sted", "Stan",
    "Stas", "Steb", "Šal", "Šark", "Šer", "Šim", "Škud", "Šliog", "Šulc", "Tal", "Tam", "Tar",
    "Tar", "Taut", "Tom", "Trak", "Tum", "Urb", "Vaik", "Vald", "Valk", "Van", "Var", "Vasil",
    "Ved", "Vid", "Vil", "Vin", "Vit", "Zab", "Zig", "Žal", "Žem", "Žib", "Žil", "Žuk", "Žvirb",
    "Alm", "Ard", "Aud", "Baj", "Bern", "Bliūd", "Bur", "Dain", "Dirv", "Dum", "Eid", "Gab",
    "Gait", "Gel", "Gerv", "Gint", "Glin", "Goš", "Grybš", "Ir", "Jank", "Jėg", "Kalv", "Kan",
    "Karv", "Kav", "Kiel", "Kreg", "Kuod", "Lašk", "Lend", "Liep", "Lig", "Linkš", "Mald", "Mant",
    "Med", "Mink", "Nar", "Pauš", "Plek", "Puk", "Rač", "Rag", "Raud", "Rein", "Sirt", "Skar",
    "Slav", "Snieg", "Stump", "Sur", "Tvar", "Ulb", "Užk", "Vaitk", "Ver", "Žyg",
)  # fmt: skip
# Infixes between stem and ending (Jon-k-us, Pet-ul-is, Mik-al-auskas).
LITHUANIAN_INFIXES = (
    "", "k", "ul", "el", "al", "ut", "iš", "en", "ar", "ik", "uk", "ev", "in", "on", "ež", "is",
)  # fmt: skip
LITHUANIAN_ENDINGS = (
    "auskas", "aitis", "ėnas", "ūnas", "onis", "ys", "us", "ius", "as", "evičius", "inskas",
    "ickas", "is", "a",
)  # fmt: skip

# --- Ukrainian (with the Russian form) -----------------------------------------------------------

UKRAINIAN_STEMS = (
    "Бабич", "Бак", "Бард", "Бел", "Бернад", "Біл", "Бобр", "Бог", "Борис", "Бород", "Бурл",
    "Вакул", "Варв", "Васил", "Верб", "Вовк", "Волош", "Ворон", "Гаврил", "Гайд", "Гал", "Гарас",
    "Гнат", "Гол", "Горб", "Грид", "Гриц", "Губ", "Гур", "Дан", "Демч", "Денис", "Дорош", "Дуб",
    "Дяч", "Жур", "Забол", "Загор", "Зах", "Зінч", "Іван", "Ільч", "Кал", "Карп", "Кирил", "Клим",
    "Кобз", "Кож", "Колод", "Кондр", "Корн", "Костир", "Кос", "Котл", "Крав", "Кулик", "Кушн",
    "Лаз", "Левк", "Лесь", "Лис", "Литв", "Лук", "Мазур", "Макар", "Мал", "Мар", "Матв", "Мих",
    "Мірош", "Моск", "Нестер", "Нос", "Овсі", "Онищ", "Опан", "Осад", "Остап", "Павл", "Панас",
    "Пасіч", "Петр", "Пилип", "Пол", "Прокоп", "Проц", "Рад", "Роман", "Руд", "Сав", "Сем",
    "Сердюч", "Сидор", "Сир", "Скрип", "Соб", "Стасюч", "Стеф", "Тар", "Тимош", "Тих", "Ткач",
    "Трох", "Фед", "Філ", "Фом", "Харк", "Хом", "Цап", "Чорн", "Шаповал", "Шев", "Шим", "Шпак",
    "Юр", "Яким", "Яков", "Ярем", "Ясин",
)  # fmt: skip
# -енко, -ук, -чук, -ишин, -ів, -ко, -ак, -ець: the same for women; -ський: feminine -ська.
UKRAINIAN_ENDINGS = ("енко", "ук", "чук", "ишин", "ів", "ко", "ак", "ець", "ський", "ик", "ан")
# Between stem and ending, as in Павл-ич-енко, Гнат-ищ-ук, Мар-ун-ько.
UKRAINIAN_INFIXES = ("", "ич", "ищ", "ан", "ал", "ил", "ун", "еш", "ен", "ар")
# The Russian forms of Ukrainian letters and endings: Кравців -> Кравцов, Гнатський -> Гнатский.
_UKRAINIAN_TO_RUSSIAN_ENDINGS = (("ський", "ский"), ("ів", "ов"), ("ець", "ец"))
_UKRAINIAN_TO_RUSSIAN_LETTERS = str.maketrans(
    {"і": "и", "ї": "и", "є": "е", "ґ": "г", "І": "И", "Є": "Е", "'": "ь"}
)

# --- Russian ------------------------------------------------------------------------------------

RUSSIAN_STEMS = (
    "Абрам", "Агап", "Аким", "Анис", "Арх", "Бабур", "Барыш", "Беляк", "Бобр", "Богдан",
    "Бочар", "Булат", "Бурм", "Ватрушк", "Вершин", "Вилк", "Воронц", "Гаврил", "Глух", "Голуб",
    "Горш", "Гранат", "Грач", "Гром", "Гуляк", "Дем", "Дерябк", "Дроздк", "Дубин", "Дьяк", "Елис",
    "Ерм", "Ерш", "Жар", "Жилк", "Жук", "Забел", "Зим", "Злоб", "Зуб", "Игнат", "Калашн", "Карас",
    "Кашир", "Клюк", "Князьк", "Коршун", "Кос", "Котельн", "Крюк", "Кудр", "Кулаг", "Лапт",
    "Лаптев", "Лещ", "Лобан", "Луг", "Лук", "Мамонт", "Марк", "Масл", "Мед", "Мешк", "Мороз",
    "Мох", "Мыльн", "Нагорн", "Наум", "Нест", "Овчинн", "Огурц", "Окун", "Пантел", "Перепелк",
    "Пиман", "Плотн", "Пронь", "Прох", "Пряхин", "Пушк", "Рогач", "Рыжк", "Рябин", "Сав", "Сазон",
    "Самойл", "Сапожн", "Свиридк", "Селезн", "Сидорк", "Сит", "Скоб", "Сом", "Стрелк", "Суслов",
    "Сушк", "Тетерк", "Тимк", "Толок", "Трош", "Тушн", "Уваров", "Ушак", "Фил", "Фомк", "Хлебн",
    "Хох", "Цвет", "Чайк", "Черн", "Чиж", "Шапк", "Шил", "Шишк", "Щеглк", "Щук", "Юдин", "Язык",
)  # fmt: skip
# -ов after a hard consonant, -ев after a soft or hushing one; -ин and -ский after any.
RUSSIAN_ENDINGS = ("ов", "ин", "ский", "енков", "ушкин", "ников")
# Between stem and ending, as in Абрам-ич-ев, Гром-ыш-ев, Лук-ьян-ов.
RUSSIAN_INFIXES = ("", "ич", "ан", "ен", "ил", "ут", "ыш", "ал", "ьян", "уш")
_RUSSIAN_SOFT = ("ж", "ш", "щ", "ч", "ц", "й", "ь")

# --- English ------------------------------------------------------------------------------------

ENGLISH_STEMS = (
    "Ash", "Bar", "Bel", "Black", "Bland", "Brad", "Bram", "Brook", "Burn", "Cal", "Carl", "Chad",
    "Chest", "Clay", "Cole", "Crom", "Dal", "Dar", "Den", "Dun", "Elm", "Farn", "Fair", "Fel",
    "Finch", "Gar", "Glad", "Gold", "Green", "Hal", "Ham", "Hart", "Hay", "Hol", "Hurst", "Kent",
    "Kings", "Lang", "Lin", "Lock", "Mar", "Mel", "Mill", "Nor", "Oak", "Pem", "Pen", "Rad",
    "Red", "Rock", "Ross", "Rush", "Shel", "Sher", "Stan", "Stock", "Thorn", "Tod", "Wal", "Ware",
    "West", "Whit", "Wick", "Win", "Wood", "Wren",
)  # fmt: skip
# A joining syllable between stem and ending, as in Ash-ing-ton, Bar-s-ley, Wal-en-ford.
ENGLISH_MIDDLES = ("", "ing", "s", "en", "er", "at", "bur", "ett")
ENGLISH_ENDINGS = (
    "son", "ton", "ley", "ford", "field", "wood", "well", "er", "by", "ham", "man", "worth",
    "ridge", "more", "stone", "wick", "dale", "sby", "ington", "combe",
)  # fmt: skip


def unique_formed(names: Iterable[str], listed: Iterable[str]) -> tuple[str, ...]:
    """The formed names once each, in the order formed, without those listed as common ones."""
    known = {name.casefold() for name in listed}
    formed: dict[str, None] = {}
    for name in names:
        if name.casefold() not in known:
            formed.setdefault(name, None)
    return tuple(formed)


def lithuanian_formed(listed: Iterable[str]) -> tuple[str, ...]:
    """Lithuanian masculine surnames formed from stem, infix and ending."""
    return unique_formed(
        (
            stem + infix + ending
            for stem in LITHUANIAN_STEMS
            for infix in LITHUANIAN_INFIXES
            for ending in LITHUANIAN_ENDINGS
        ),
        listed,
    )


def given_name_stem(name: str) -> str:
    """A Slavic given name without its ending, as surnames take it (Тарас, Павло -> Павл,
    Андрій -> Андр, Микола -> Микол)."""
    for ending in ("ій", "ий", "ей", "ь", "й", "о", "а", "я"):
        if name.endswith(ending) and len(name) - len(ending) >= 3:
            return name[: -len(ending)]
    return name


def _joined(stem: str, ending: str) -> str:
    # Кравчук, not Кравччук: the ending's first letter is not written twice.
    return stem + (ending[1:] if stem[-1] == ending[0] else ending)


def ukrainian_formed(
    listed: Iterable[str], given_names: Iterable[str] = ()
) -> tuple[tuple[str, str], ...]:
    """(Ukrainian, Russian form) of Ukrainian masculine surnames formed from stem and ending,
    the stems of `given_names` (Ukrainian male names) among the stems."""
    stems = dict.fromkeys((*UKRAINIAN_STEMS, *map(given_name_stem, given_names)))
    pairs = []
    formed = (
        _joined(stem + infix, ending)
        for stem in stems
        for infix in UKRAINIAN_INFIXES
        for ending in UKRAINIAN_ENDINGS
    )
    for name in unique_formed(formed, listed):
        russian = name
        for ukrainian_ending, russian_ending in _UKRAINIAN_TO_RUSSIAN_ENDINGS:
            if russian.endswith(ukrainian_ending):
                russian = russian[: -len(ukrainian_ending)] + russian_ending
        pairs.append((name, russian.translate(_UKRAINIAN_TO_RUSSIAN_LETTERS)))
    return tuple(pairs)


def russian_formed(listed: Iterable[str], given_names: Iterable[str] = ()) -> tuple[str, ...]:
    """Russian masculine surnames formed from stem and ending, the stems of `given_names`
    (Russian male names) among the stems."""
    stems = dict.fromkeys((*RUSSIAN_STEMS, *map(given_name_stem, given_names)))

    def ending_after(stem: str, ending: str) -> str:
        if ending == "ов" and stem.endswith(_RUSSIAN_SOFT):
            return "ев"
        return ending

    return unique_formed(
        (
            _joined(stem + infix, ending_after(stem + infix, ending))
            for stem in stems
            for infix in RUSSIAN_INFIXES
            for ending in RUSSIAN_ENDINGS
        ),
        listed,
    )


def english_formed(listed: Iterable[str]) -> tuple[str, ...]:
    """English surnames formed from a place-name or word stem and a place or kin ending."""
    return unique_formed(
        (
            stem + middle + ending
            for stem in ENGLISH_STEMS
            for middle in ENGLISH_MIDDLES
            for ending in ENGLISH_ENDINGS
        ),
        listed,
    )

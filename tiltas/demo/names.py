"""Name pools of the demo country, per name origin, with the grammar of each language's surnames.

Lithuanian women's surnames are derived from the masculine form: married -ienė (Petrauskas ->
Petrauskienė, Vaitkus -> Vaitkuvienė), unmarried -aitė/-ytė/-utė/-ūtė (Petrauskaitė, Jonaitytė,
Vaitkutė, Stankevičiūtė). Ukrainian names carry their Russian equivalents (Олександр/Александр,
Олена/Елена), because Ukrainians are often recorded under the Russian form of their name.
"""

from __future__ import annotations

from dataclasses import dataclass

FEMALE = "F"
MALE = "M"


class NameOrigin:
    LITHUANIAN = "lt"
    UKRAINIAN = "uk"
    RUSSIAN = "ru"
    ENGLISH = "en"
    OTHER = "other"


NAME_ORIGINS = (
    NameOrigin.LITHUANIAN,
    NameOrigin.UKRAINIAN,
    NameOrigin.RUSSIAN,
    NameOrigin.ENGLISH,
    NameOrigin.OTHER,
)


@dataclass(frozen=True)
class GivenName:
    """A given name; `russian` is its Russian equivalent when the name is Ukrainian."""

    name: str
    sex: str
    russian: str = ""


@dataclass(frozen=True)
class Surname:
    """A surname in its masculine and feminine forms (equal when the name does not change)."""

    masculine: str
    feminine: str
    russian_masculine: str = ""
    russian_feminine: str = ""


# --- Lithuanian -------------------------------------------------------------------------------

LITHUANIAN_MALE = (
    "Jonas", "Tomas", "Mantas", "Darius", "Andrius", "Mindaugas", "Žygimantas", "Paulius",
    "Lukas", "Gediminas", "Vytautas", "Algirdas", "Rimantas", "Arūnas", "Saulius", "Kęstutis",
    "Giedrius", "Tadas", "Marius", "Dainius", "Egidijus", "Raimondas", "Audrius", "Evaldas",
    "Laurynas", "Matas", "Dovydas", "Nojus", "Julius", "Karolis", "Šarūnas", "Ignas", "Rokas",
    "Aurimas", "Vaidas", "Edvinas", "Deividas", "Justas", "Rimvydas", "Žilvinas",
)  # fmt: skip
LITHUANIAN_FEMALE = (
    "Rūta", "Eglė", "Jurgita", "Inga", "Lina", "Aistė", "Gabija", "Ieva", "Austėja", "Gintarė",
    "Kristina", "Laura", "Vilma", "Simona", "Dalia", "Jolanta", "Rasa", "Asta", "Živilė", "Agnė",
    "Indrė", "Ugnė", "Goda", "Kotryna", "Miglė", "Viktorija", "Greta", "Monika", "Neringa",
    "Danguolė", "Aušra", "Skaistė", "Milda", "Saulė", "Emilija", "Justina", "Erika", "Giedrė",
    "Vaida", "Lijana",
)  # fmt: skip
LITHUANIAN_SURNAMES_MASCULINE = (
    "Petrauskas", "Kazlauskas", "Jankauskas", "Stankevičius", "Vasiliauskas", "Žukauskas",
    "Butkus", "Paulauskas", "Urbonas", "Kavaliauskas", "Baranauskas", "Navickas", "Ramanauskas",
    "Savickas", "Rimkus", "Žilinskas", "Sakalauskas", "Vaitkus", "Šimkus", "Lukoševičius",
    "Adomaitis", "Jonaitis", "Kairys", "Mockus", "Šiaulys", "Grigas", "Mažeika", "Gudaitis",
    "Bagdonas", "Malinauskas", "Kučinskas", "Balčiūnas", "Juška", "Daukša", "Vaičiulis",
    "Krasauskas", "Petraitis", "Stonkus", "Marcinkevičius", "Norkus", "Bernotas", "Šukys",
    "Dambrauskas", "Sabaliauskas", "Rutkauskas", "Jasiūnas", "Račkauskas", "Budrys",
)  # fmt: skip


def lithuanian_feminine_forms(masculine: str) -> tuple[str, str]:
    """(married, unmarried) forms of a Lithuanian masculine surname."""
    for ending, stem_cut, married, unmarried in (
        ("ius", 3, "ienė", "iūtė"),
        ("us", 2, "uvienė", "utė"),
        ("as", 2, "ienė", "aitė"),
        ("is", 2, "ienė", "ytė"),
        ("ys", 2, "ienė", "ytė"),
        ("a", 1, "ienė", "aitė"),
        ("ė", 1, "ienė", "aitė"),
    ):
        if masculine.endswith(ending):
            stem = masculine[:-stem_cut]
            return stem + married, stem + unmarried
    return masculine, masculine


# --- Ukrainian (with Russian equivalents) -------------------------------------------------------

UKRAINIAN_GIVEN: tuple[GivenName, ...] = (
    GivenName("Олександр", MALE, "Александр"),
    GivenName("Олексій", MALE, "Алексей"),
    GivenName("Андрій", MALE, "Андрей"),
    GivenName("Сергій", MALE, "Сергей"),
    GivenName("Дмитро", MALE, "Дмитрий"),
    GivenName("Микола", MALE, "Николай"),
    GivenName("Іван", MALE, "Иван"),
    GivenName("Володимир", MALE, "Владимир"),
    GivenName("Юрій", MALE, "Юрий"),
    GivenName("Віктор", MALE, "Виктор"),
    GivenName("Василь", MALE, "Василий"),
    GivenName("Михайло", MALE, "Михаил"),
    GivenName("Павло", MALE, "Павел"),
    GivenName("Петро", MALE, "Пётр"),
    GivenName("Олег", MALE, "Олег"),
    GivenName("Богдан", MALE, "Богдан"),
    GivenName("Тарас", MALE, "Тарас"),
    GivenName("Євген", MALE, "Евгений"),
    GivenName("Ігор", MALE, "Игорь"),
    GivenName("Роман", MALE, "Роман"),
    GivenName("Максим", MALE, "Максим"),
    GivenName("Артем", MALE, "Артём"),
    GivenName("Григорій", MALE, "Григорий"),
    GivenName("Анатолій", MALE, "Анатолий"),
    GivenName("Олена", FEMALE, "Елена"),
    GivenName("Юлія", FEMALE, "Юлия"),
    GivenName("Наталія", FEMALE, "Наталья"),
    GivenName("Тетяна", FEMALE, "Татьяна"),
    GivenName("Ірина", FEMALE, "Ирина"),
    GivenName("Оксана", FEMALE, "Оксана"),
    GivenName("Світлана", FEMALE, "Светлана"),
    GivenName("Ольга", FEMALE, "Ольга"),
    GivenName("Марія", FEMALE, "Мария"),
    GivenName("Ганна", FEMALE, "Анна"),
    GivenName("Катерина", FEMALE, "Екатерина"),
    GivenName("Людмила", FEMALE, "Людмила"),
    GivenName("Галина", FEMALE, "Галина"),
    GivenName("Валентина", FEMALE, "Валентина"),
    GivenName("Вікторія", FEMALE, "Виктория"),
    GivenName("Анастасія", FEMALE, "Анастасия"),
    GivenName("Софія", FEMALE, "София"),
    GivenName("Надія", FEMALE, "Надежда"),
    GivenName("Любов", FEMALE, "Любовь"),
    GivenName("Віра", FEMALE, "Вера"),
    GivenName("Олександра", FEMALE, "Александра"),
    GivenName("Яна", FEMALE, "Яна"),
    GivenName("Христина", FEMALE, "Кристина"),
    GivenName("Євгенія", FEMALE, "Евгения"),
)

# "Ukrainian|Russian" where the Russian form differs; -енко, -ук, -ник names are the same for
# women and men.
_UKRAINIAN_SURNAMES = (
    "Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник|Олейник", "Шевчук",
    "Коваль", "Поліщук|Полищук", "Бойко", "Ткачук", "Мельник", "Кравчук", "Савченко",
    "Лисенко|Лысенко", "Руденко", "Марченко", "Мороз", "Петренко", "Павленко", "Клименко",
    "Гончаренко", "Кузьменко", "Левченко", "Харченко", "Сидоренко", "Ковальчук", "Карпенко",
    "Романенко", "Білик|Белик", "Гриценко", "Литвиненко", "Остапенко", "Яковенко", "Захарченко",
    "Гнатюк", "Дячук|Дьячук", "Пономаренко", "Савицький|Савицкий", "Яворський|Яворский",
    "Грабовський|Грабовский", "Згурський|Згурский", "Головатий|Головатый", "Білоус|Белоус",
)  # fmt: skip


def ukrainian_feminine(masculine: str) -> str:
    """The feminine form of a Ukrainian surname: adjectival -ий -> -а, others unchanged."""
    if masculine.endswith("ий"):
        return masculine[:-2] + "а"
    return masculine


def russian_feminine(masculine: str) -> str:
    """The feminine form of a Russian surname: -ов/-ев/-ин -> +а, -ий/-ый/-ой -> -ая."""
    if masculine.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return masculine + "а"
    if masculine.endswith(("ий", "ый", "ой")):
        return masculine[:-2] + "ая"
    return masculine


def _ukrainian_surname(spec: str) -> Surname:
    ukrainian, _, russian = spec.partition("|")
    russian = russian or ukrainian
    return Surname(
        masculine=ukrainian,
        feminine=ukrainian_feminine(ukrainian),
        russian_masculine=russian,
        russian_feminine=russian_feminine(russian),
    )


UKRAINIAN_SURNAMES = tuple(_ukrainian_surname(spec) for spec in _UKRAINIAN_SURNAMES)

# --- Russian ------------------------------------------------------------------------------------

_RUSSIAN_ONLY_GIVEN = (
    GivenName("Денис", MALE), GivenName("Никита", MALE), GivenName("Кирилл", MALE),
    GivenName("Антон", MALE), GivenName("Илья", MALE), GivenName("Константин", MALE),
    GivenName("Станислав", MALE), GivenName("Вадим", MALE), GivenName("Ксения", FEMALE),
    GivenName("Алина", FEMALE), GivenName("Полина", FEMALE), GivenName("Маргарита", FEMALE),
    GivenName("Вероника", FEMALE), GivenName("Дарья", FEMALE), GivenName("Лариса", FEMALE),
)  # fmt: skip
RUSSIAN_GIVEN: tuple[GivenName, ...] = (
    *(GivenName(name.russian, name.sex) for name in UKRAINIAN_GIVEN),
    *_RUSSIAN_ONLY_GIVEN,
)

_RUSSIAN_SURNAMES = (
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
    "Новиков", "Федоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
    "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин",
    "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв",
    "Сергеев", "Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв", "Гусев", "Ильин",
    "Сорокин", "Виноградов", "Ковалёв", "Белов", "Медведев", "Щербаков", "Жуков", "Баранов",
    "Островский", "Троицкий", "Толстой", "Горбачёв", "Чернышёв", "Журавлёв",
)  # fmt: skip
RUSSIAN_SURNAMES = tuple(
    Surname(masculine=name, feminine=russian_feminine(name)) for name in _RUSSIAN_SURNAMES
)

# --- English ------------------------------------------------------------------------------------

ENGLISH_GIVEN: tuple[GivenName, ...] = tuple(
    GivenName(name, MALE)
    for name in (
        "James", "John", "Robert", "Michael", "William", "David", "Daniel", "Thomas", "Matthew",
        "Andrew", "Christopher", "Joseph", "Ryan", "Liam", "Connor",
    )
) + tuple(
    GivenName(name, FEMALE)
    for name in (
        "Mary", "Sarah", "Emma", "Emily", "Jessica", "Laura", "Rebecca", "Hannah", "Olivia",
        "Sophie", "Chloe", "Megan", "Amy", "Rachel", "Charlotte",
    )
)  # fmt: skip
ENGLISH_SURNAMES = tuple(
    Surname(name, name)
    for name in (
        "Smith", "Jones", "Williams", "Brown", "Taylor", "Davies", "Evans", "Wilson", "Thomas",
        "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards",
        "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Jackson", "Wood", "Turner",
        "Martin", "Cooper", "Hill", "Murphy", "O'Brien", "Kelly", "Byrne", "McCarthy",
    )
)  # fmt: skip

# --- Other origins met in the field: labour migrants and people trafficked through Lithuania ------


@dataclass(frozen=True)
class OtherOrigin:
    """A group of names with the citizenship and languages that usually go with them."""

    code: str
    citizenship: str
    languages: tuple[str, ...]
    given: tuple[GivenName, ...]
    surnames: tuple[Surname, ...]
    family_name_first: bool = False


def _latin_slavic_surnames(*names: str) -> tuple[Surname, ...]:
    return tuple(Surname(name, name + "a") for name in names)


def _given(male: tuple[str, ...], female: tuple[str, ...]) -> tuple[GivenName, ...]:
    return tuple(GivenName(n, MALE) for n in male) + tuple(GivenName(n, FEMALE) for n in female)


OTHER_ORIGINS = (
    OtherOrigin(
        "uz",
        "UZB",
        ("uz", "ru"),
        _given(
            ("Akmal", "Bekzod", "Jasur", "Sardor", "Otabek", "Rustam", "Ulugʻbek", "Sherzod"),
            ("Dilnoza", "Gulnora", "Madina", "Nilufar", "Shahnoza", "Zarina", "Feruza"),
        ),
        _latin_slavic_surnames(
            "Karimov", "Rahimov", "Tursunov", "Yusupov", "Aliyev", "Ergashev", "Xoliqov"
        ),
    ),
    OtherOrigin(
        "tg",
        "TJK",
        ("tg", "ru"),
        _given(
            ("Firdavs", "Davlat", "Farrukh", "Parviz", "Shamsiddin", "Behruz"),
            ("Mehrona", "Sitora", "Firuza", "Manizha", "Tahmina"),
        ),
        _latin_slavic_surnames("Rahmonov", "Nazarov", "Sharipov", "Saidov", "Qodirov"),
    ),
    OtherOrigin(
        "vi",
        "VNM",
        ("vi",),
        _given(
            ("Tuấn", "Hùng", "Đức", "Minh", "Quang", "Dũng"),
            ("Lan", "Hương", "Thu", "Linh", "Mai", "Ngọc"),
        ),
        tuple(
            Surname(name, name)
            for name in ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi")
        ),
        family_name_first=True,
    ),
    OtherOrigin(
        "fil",
        "PHL",
        ("fil", "en"),
        _given(
            ("Jose", "Mark", "Rodel", "Jericho", "Ramon"),
            ("Maria", "Jocelyn", "Mary Grace", "Rowena", "Liezel"),
        ),
        tuple(
            Surname(name, name)
            for name in ("Santos", "Reyes", "Cruz", "Bautista", "Dela Cruz", "Garcia", "Mendoza")
        ),
    ),
    OtherOrigin(
        "ng",
        "NGA",
        ("en", "yo"),
        _given(
            ("Chinedu", "Emeka", "Oluwaseun", "Tunde", "Ifeanyi"),
            ("Ngozi", "Chiamaka", "Adaeze", "Funmilayo", "Blessing"),
        ),
        tuple(
            Surname(name, name)
            for name in ("Okafor", "Okonkwo", "Adeyemi", "Balogun", "Eze", "Nwosu", "Afolabi")
        ),
    ),
)

# How often each origin is met among persons of concern in the demo country.
ORIGIN_WEIGHTS = {
    NameOrigin.LITHUANIAN: 55,
    NameOrigin.UKRAINIAN: 18,
    NameOrigin.RUSSIAN: 12,
    NameOrigin.ENGLISH: 4,
    NameOrigin.OTHER: 11,
}

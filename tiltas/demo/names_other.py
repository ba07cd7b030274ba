"""Name lists of the smaller origins met in the field: labour migrants from Central Asia and
people from Vietnam, the Philippines and Nigeria (names.py OTHER_ORIGINS draws them uniformly).

From general knowledge, not from official statistics. The lists are long enough that two people
of one origin rarely share a whole name unless the name is really that common (Vietnamese family
names are: Nguyễn alone is borne by about four in ten Vietnamese, so Vietnamese records need their
dates to be told apart, as in the field).
"""

from __future__ import annotations

# Central Asian surnames are patronymic: a man's name with -ov/-ev (Karimov), in Tajikistan
# increasingly -zoda (Rahmonzoda); names.py forms them from these male names.
UZBEK_MALE = (
    "Akmal", "Bekzod", "Jasur", "Sardor", "Otabek", "Rustam", "Ulugʻbek", "Sherzod", "Abdulla",
    "Akbar", "Alisher", "Anvar", "Aziz", "Bahodir", "Botir", "Davron", "Dilshod", "Doston",
    "Elbek", "Farhod", "Gʻayrat", "Hamid", "Ibrohim", "Ilhom", "Islom", "Jahongir", "Jamshid",
    "Kamol", "Karim", "Komil", "Mahmud", "Mansur", "Murod", "Nodir", "Nosir", "Odil", "Olim",
    "Rahim", "Rashid", "Ravshan", "Sanjar", "Shavkat", "Sobir", "Sodiq", "Tohir", "Tursun", "Umid",
    "Usmon", "Yusuf", "Zafar", "Zokir", "Xoliq", "Ergash", "Nurali", "Qodir", "Samandar",
)  # fmt: skip
UZBEK_FEMALE = (
    "Dilnoza", "Gulnora", "Madina", "Nilufar", "Shahnoza", "Zarina", "Feruza", "Aziza", "Barno",
    "Dilbar", "Dildora", "Gulchehra", "Gulsanam", "Iroda", "Kamola", "Lola", "Malika", "Mohira",
    "Munisa", "Nargiza", "Nigora", "Nodira", "Oysha", "Robiya", "Sabina", "Sevara", "Shahlo",
    "Umida", "Zuhra", "Mukhlisa", "Yulduz", "Zilola",
)  # fmt: skip
TAJIK_MALE = (
    "Firdavs", "Davlat", "Farrukh", "Parviz", "Shamsiddin", "Behruz", "Abdullo", "Alijon",
    "Bahrom", "Daler", "Faridun", "Hurshed", "Jamshed", "Mahmadali", "Manuchehr", "Nurullo",
    "Rahmon", "Saidali", "Sherali", "Siyovush", "Sohib", "Umed", "Zarif", "Nazar", "Sharif",
    "Said", "Qodir", "Rustam", "Safar", "Ismoil", "Davron", "Komron", "Anvar", "Karim",
)  # fmt: skip
TAJIK_FEMALE = (
    "Mehrona", "Sitora", "Firuza", "Manizha", "Tahmina", "Dilafruz", "Gulbahor", "Gulnora",
    "Malika", "Munira", "Nigina", "Parvina", "Rukhshona", "Shahnoza", "Zarina", "Zebo",
    "Nilufar", "Farzona", "Mavjuda", "Shabnam", "Madina", "Sabrina", "Tojinisso", "Zulaykho",
)  # fmt: skip

# Vietnamese given names are a middle name and a name (Văn Hùng, Thị Lan).
VIETNAMESE_MIDDLE_MALE = ("Văn", "Đức", "Minh", "Hữu", "Quang", "Thanh", "Công")
VIETNAMESE_MALE = (
    "Tuấn", "Hùng", "Đức", "Minh", "Quang", "Dũng", "Nam", "Long", "Hải", "Sơn", "Phong", "Thắng",
    "Huy", "Khánh", "Bình", "Cường", "Hiếu", "Trung", "Tùng", "Vinh", "Phúc", "Kiên",
)  # fmt: skip
VIETNAMESE_MIDDLE_FEMALE = ("Thị", "Ngọc", "Thu", "Thanh", "Kim", "Minh")
VIETNAMESE_FEMALE = (
    "Lan", "Hương", "Thu", "Linh", "Mai", "Ngọc", "Hoa", "Hạnh", "Trang", "Thảo", "Nga", "Hằng",
    "Phương", "Yến", "Nhung", "Vân", "Anh", "Dung", "Hà", "Oanh", "Loan", "Giang",
)  # fmt: skip
VIETNAMESE_SURNAMES = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
)  # fmt: skip

FILIPINO_MALE = (
    "Jose", "Mark", "Rodel", "Jericho", "Ramon", "John Paul", "Christian", "Jayson", "Michael",
    "Arnel", "Rolando", "Ronaldo", "Edgardo", "Reynaldo", "Romeo", "Danilo", "Ariel", "Joel",
    "Noel", "Jomar", "Rommel", "Jerome", "Kenneth", "Renato", "Alvin", "Ferdinand", "Jun",
)  # fmt: skip
FILIPINO_FEMALE = (
    "Maria", "Jocelyn", "Mary Grace", "Rowena", "Liezel", "Maricel", "Lorna", "Rosalie", "Marites",
    "Jennifer", "Mylene", "Ana Marie", "Kristine", "Cristina", "Joy", "Rhea", "Arlene", "Analyn",
    "Gemma", "Lovely", "Shiela", "Cherry", "Jhoanna", "Rachelle", "Divina", "Imelda",
)  # fmt: skip
FILIPINO_SURNAMES = (
    "Santos", "Reyes", "Cruz", "Bautista", "Dela Cruz", "Garcia", "Mendoza", "Ocampo", "Torres",
    "Tomas", "Andrada", "Castillo", "Flores", "Villanueva", "Ramos", "Castro", "Rivera", "Aquino",
    "Navarro", "Salazar", "Mercado", "Aguilar", "Domingo", "Gonzales", "Pascual", "De Guzman",
    "Lopez", "Soriano", "Manalo", "Dizon", "Fernandez", "Valdez", "Gutierrez", "Sison",
    "Panganiban", "Macaraeg", "Cabrera", "Lacson", "Magbanua", "Buenaventura", "Marquez",
    "Samonte", "Tolentino", "Estrada", "Javier", "Padilla", "Velasco", "Rosales", "Santiago",
    "Mañalac", "Evangelista", "Lim", "Tan", "Sy", "Galang", "Bernardo", "Del Rosario", "Manansala",
)  # fmt: skip

NIGERIAN_MALE = (
    "Chinedu", "Emeka", "Oluwaseun", "Tunde", "Ifeanyi", "Chukwuemeka", "Obinna", "Nnamdi",
    "Babatunde", "Olumide", "Adebayo", "Segun", "Kelechi", "Uche", "Ikechukwu", "Femi", "Gbenga",
    "Kunle", "Musa", "Ibrahim", "Abubakar", "Sani", "Yusuf", "Emmanuel", "Samuel", "Godwin",
    "Friday", "Sunday", "Victor", "Daniel",
)  # fmt: skip
NIGERIAN_FEMALE = (
    "Ngozi", "Chiamaka", "Adaeze", "Funmilayo", "Blessing", "Chioma", "Nkechi", "Amaka", "Ifeoma",
    "Oluwakemi", "Folake", "Bukola", "Yetunde", "Aisha", "Fatima", "Hauwa", "Zainab", "Grace",
    "Joy", "Patience", "Esther", "Precious", "Favour", "Mercy", "Gift",
)  # fmt: skip
NIGERIAN_SURNAMES = (
    "Okafor", "Okonkwo", "Adeyemi", "Balogun", "Eze", "Nwosu", "Afolabi", "Obi", "Okeke",
    "Nwankwo", "Ogunleye", "Adebayo", "Olawale", "Bello", "Abubakar", "Mohammed", "Ibrahim",
    "Usman", "Okoro", "Uzor", "Chukwu", "Onyekachi", "Nnaji", "Ekwueme", "Adeleke", "Oyelaran",
    "Akinola", "Ogundipe", "Ojo", "Babatunde", "Ayodele", "Olatunji", "Onuoha", "Agu", "Ude",
    "Ike", "Anyanwu", "Ezeh", "Onwuka", "Ogbu", "Iwu", "Okpara", "Adewale", "Fashola", "Lawal",
    "Yusuf", "Suleiman", "Danjuma", "Garba", "Aliyu",
)  # fmt: skip


def patronymic_surnames(male_names: tuple[str, ...], *, tajik: bool = False) -> tuple[str, ...]:
    """Central Asian surnames from men's names: Karim -> Karimov, Abdulla -> Abdullayev, and for
    Tajiks also Rahmon -> Rahmonzoda."""
    surnames: dict[str, None] = {}
    for name in male_names:
        stem = name.replace("ʻ", "")
        surnames[stem + ("yev" if stem[-1] in "aeiou" else "ov")] = None
        if tajik:
            surnames[stem + "zoda"] = None
    return tuple(surnames)


def vietnamese_given(middles: tuple[str, ...], names: tuple[str, ...]) -> tuple[str, ...]:
    """Every middle name with every name, except a name repeating its middle (Minh Minh)."""
    return tuple(f"{middle} {name}" for middle in middles for name in names if middle != name)

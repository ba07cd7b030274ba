"""Name lists of the smaller origins met in the field: labour migrants from Central Asia and
people from Vietnam, the Philippines and Nigeria (names.py OTHER_ORIGINS draws the given names
uniformly, the surnames as those of the main origins: listed common ones and a long tail formed
here the way each language forms them).

From general knowledge, not from official statistics. The lists are long enough that two people
of one origin rarely share a whole name unless the name is really that common (Vietnamese family
names are: Nguyễn alone is borne by about four in ten Vietnamese, so Vietnamese records need their
dates to be told apart, as in the field). With some fifty names a sex and fifty surnames, a demo
file of a million records, fifteen thousand people of each origin, gave each whole name three
bearers: a namesake density no country has, which made every record without a date a guess.
"""

from __future__ import annotations

from collections.abc import Iterable

from tiltas.demo.names_formed import unique_formed

# Central Asian surnames are patronymic: a man's name with -ov/-ev (Karimov), in Tajikistan
# increasingly -zoda (Rahmonzoda); names.py forms them from these male names.
UZBEK_MALE = (
    "Akmal", "Bekzod", "Jasur", "Sardor", "Otabek", "Rustam", "Ulugʻbek", "Sherzod", "Abdulla",
    "Akbar", "Alisher", "Anvar", "Aziz", "Bahodir", "Botir", "Davron", "Dilshod", "Doston",
    "Elbek", "Farhod", "Gʻayrat", "Hamid", "Ibrohim", "Ilhom", "Islom", "Jahongir", "Jamshid",
    "Kamol", "Karim", "Komil", "Mahmud", "Mansur", "Murod", "Nodir", "Nosir", "Odil", "Olim",
    "Rahim", "Rashid", "Ravshan", "Sanjar", "Shavkat", "Sobir", "Sodiq", "Tohir", "Tursun", "Umid",
    "Usmon", "Yusuf", "Zafar", "Zokir", "Xoliq", "Ergash", "Nurali", "Qodir", "Samandar",
    "Abdulaziz", "Abdurahmon", "Abror", "Akrom", "Alibek", "Asilbek", "Azamat", "Bobur",
    "Dilmurod", "Diyorbek", "Eldor", "Fazliddin", "Fayzulla", "Ikrom", "Jasurbek", "Javlon",
    "Kamoliddin", "Lochinbek", "Mirjalol", "Mirzo", "Muhammadali", "Nurbek", "Nuriddin", "Oybek",
    "Ozodbek", "Qobil", "Rahmatilla", "Ravshanbek", "Sanjarbek", "Shahzod", "Shuhrat",
    "Sirojiddin", "Sulton", "Temur", "Ulmas", "Xurshid", "Yorqin", "Zohid", "Asror", "Baxtiyor",
    "Elyor", "Hasan", "Husan", "Ilyos", "Jaloliddin", "Mirshod", "Nodirbek", "Abduvali",
    "Behzod", "Dostonbek", "Fozil", "Gʻulom", "Hayot", "Inomjon", "Kahramon", "Lutfulla",
    "Mashrab", "Muzaffar", "Nematjon", "Obid", "Pulat", "Rustambek", "Saidakbar", "Toxir",
    "Valijon", "Yodgor", "Zuhriddin",
)  # fmt: skip
UZBEK_FEMALE = (
    "Dilnoza", "Gulnora", "Madina", "Nilufar", "Shahnoza", "Zarina", "Feruza", "Aziza", "Barno",
    "Dilbar", "Dildora", "Gulchehra", "Gulsanam", "Iroda", "Kamola", "Lola", "Malika", "Mohira",
    "Munisa", "Nargiza", "Nigora", "Nodira", "Oysha", "Robiya", "Sabina", "Sevara", "Shahlo",
    "Umida", "Zuhra", "Mukhlisa", "Yulduz", "Zilola", "Barchinoy", "Charos", "Diyora",
    "Durdona", "Gavhar", "Gulnoza", "Gulruh", "Hilola", "Hulkar", "Intizor", "Kumush", "Laylo",
    "Maftuna", "Marjona", "Mahliyo", "Mavluda", "Mehriniso", "Munavvar", "Muhayyo", "Nasiba",
    "Nazira", "Oydin", "Oygul", "Rayhona", "Rano", "Saida", "Sarvinoz", "Sayyora", "Shirin",
    "Shoira", "Surayyo", "Tamanno", "Xurshida", "Zamira", "Ziyoda", "Zulfiya", "Komila",
    "Dilrabo", "Fotima", "Gulbahor", "Hadicha", "Lobar", "Manzura", "Mohinur",
    "Nafisa", "Odina", "Parizoda", "Ruxsora", "Sabohat", "Sanobar", "Shahzoda", "Toʻxtagul",
    "Yorqinoy", "Zebo", "Zarnigor", "Gulshoda", "Dilafroʻz", "Muattar", "Nozima", "Ozoda",
)  # fmt: skip
TAJIK_MALE = (
    "Firdavs", "Davlat", "Farrukh", "Parviz", "Shamsiddin", "Behruz", "Abdullo", "Alijon",
    "Bahrom", "Daler", "Faridun", "Hurshed", "Jamshed", "Mahmadali", "Manuchehr", "Nurullo",
    "Rahmon", "Saidali", "Sherali", "Siyovush", "Sohib", "Umed", "Zarif", "Nazar", "Sharif",
    "Said", "Qodir", "Rustam", "Safar", "Ismoil", "Davron", "Komron", "Anvar", "Karim",
    "Abdurahim", "Asadullo", "Bahodur", "Bakhtiyor", "Dilovar", "Dovud", "Firuz", "Ghafur",
    "Habibullo", "Hakim", "Ibrohim", "Iskandar", "Jonibek", "Khurshed", "Latif", "Mahmud",
    "Mirzo", "Muhammadjon", "Navruz", "Nematullo", "Qurbon", "Rajab", "Saidjon", "Shahrom",
    "Shodmon", "Sino", "Sunatullo", "Suhrob", "Tavakkal", "Umar", "Yusuf", "Zafar", "Amirkhon",
    "Bobojon", "Ehson", "Fayzullo", "Ismatullo", "Jamoliddin", "Karomatullo", "Mansur", "Nurali",
    "Rahmatullo", "Sherzod", "Sulaymon", "Tohir", "Vohid", "Abdulloh", "Azizjon", "Dzhamshed",
    "Faridjon", "Gulmurod", "Haydar", "Imomali", "Jahongir", "Khayrullo", "Mirzoali", "Nosir",
    "Ozod", "Qiyomiddin", "Ruslan", "Salim", "Tolib", "Yodgor", "Zayniddin", "Baho", "Ilhom",
)  # fmt: skip
TAJIK_FEMALE = (
    "Mehrona", "Sitora", "Firuza", "Manizha", "Tahmina", "Dilafruz", "Gulbahor", "Gulnora",
    "Malika", "Munira", "Nigina", "Parvina", "Rukhshona", "Shahnoza", "Zarina", "Zebo",
    "Nilufar", "Farzona", "Mavjuda", "Shabnam", "Madina", "Sabrina", "Tojinisso", "Zulaykho",
    "Anisa", "Barno", "Bibisoro", "Dilnoza", "Farangis", "Gulchehra", "Gulrukhsor", "Gulshan",
    "Khosiyat", "Lola", "Mahina", "Marjona", "Mohira", "Muattar", "Nargis", "Parvona", "Rukhsora",
    "Sabohat", "Saodat", "Shahlo", "Shirin", "Zamira", "Zarrina", "Zuhro", "Mehrangez",
    "Ganjina", "Gulandom", "Mavzuna", "Nodira", "Oysha", "Safina", "Sanavbar", "Zebiniso",
    "Adolat", "Bahoriston", "Dilorom", "Farida", "Gulnoza", "Hamida", "Jamila", "Kimiyo",
    "Latofat", "Malohat", "Munisa", "Nasiba", "Nigora", "Robiya", "Sadbarg", "Sharofat",
    "Umeda", "Zulfiya",
)  # fmt: skip

# Vietnamese given names are a middle name and a name (Văn Hùng, Thị Lan).
VIETNAMESE_MIDDLE_MALE = (
    "Văn",
    "Đức",
    "Minh",
    "Hữu",
    "Quang",
    "Thanh",
    "Công",
    "Quốc",
    "Tiến",
    "Bá",
    "Gia",
    "Xuân",
)
VIETNAMESE_MALE = (
    "Tuấn", "Hùng", "Đức", "Minh", "Quang", "Dũng", "Nam", "Long", "Hải", "Sơn", "Phong", "Thắng",
    "Huy", "Khánh", "Bình", "Cường", "Hiếu", "Trung", "Tùng", "Vinh", "Phúc", "Kiên", "An", "Bảo",
    "Chiến", "Đạt", "Định", "Đông", "Duy", "Hào", "Hậu", "Hiển", "Hòa", "Hoàng", "Hưng", "Khải",
    "Khoa", "Lâm", "Lợi", "Lực", "Mạnh", "Nghĩa", "Nhân", "Phát", "Quân", "Quý", "Tài", "Tâm",
    "Thái", "Thành", "Thiện", "Thịnh", "Toàn", "Trí", "Trọng", "Tú", "Việt",
)  # fmt: skip
VIETNAMESE_MIDDLE_FEMALE = (
    "Thị",
    "Ngọc",
    "Thu",
    "Thanh",
    "Kim",
    "Minh",
    "Hồng",
    "Bích",
    "Diệu",
    "Mỹ",
    "Khánh",
)
VIETNAMESE_FEMALE = (
    "Lan", "Hương", "Thu", "Linh", "Mai", "Ngọc", "Hoa", "Hạnh", "Trang", "Thảo", "Nga", "Hằng",
    "Phương", "Yến", "Nhung", "Vân", "Anh", "Dung", "Hà", "Oanh", "Loan", "Giang", "Ánh", "Châu",
    "Chi", "Diệp", "Điệp", "Đào", "Hiền", "Hoài", "Huệ", "Huyền", "Liên", "Liễu", "Ly", "My",
    "Ngân", "Nhi", "Nhàn", "Quyên", "Quỳnh", "Tâm", "Thắm", "Thơ", "Thúy", "Tiên", "Trâm", "Trinh",
    "Tuyết", "Uyên", "Vy", "Xuân", "Yên",
)  # fmt: skip
VIETNAMESE_SURNAMES = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
)  # fmt: skip

FILIPINO_MALE = (
    "Jose", "Mark", "Rodel", "Jericho", "Ramon", "John Paul", "Christian", "Jayson", "Michael",
    "Arnel", "Rolando", "Ronaldo", "Edgardo", "Reynaldo", "Romeo", "Danilo", "Ariel", "Joel",
    "Noel", "Jomar", "Rommel", "Jerome", "Kenneth", "Renato", "Alvin", "Ferdinand", "Jun",
    "Antonio", "Benjamin", "Carlo", "Dennis", "Eduardo", "Emmanuel", "Ernesto", "Francis",
    "Gerardo", "Jaime", "Jeffrey", "Joseph", "Juan", "Leonardo", "Lito", "Manuel", "Marlon",
    "Nestor", "Oscar", "Pedro", "Raymond", "Ricardo", "Roberto", "Rodrigo", "Ruel", "Teodoro",
    "Virgilio", "Wilfredo", "Aldrin", "Angelo", "Bong", "Cesar", "Darwin", "Efren", "Elmer",
    "Gilbert", "Jonathan", "Joven", "Larry", "Melvin", "Nelson", "Rey", "Rodel John", "Ronnie",
    "Samuel", "Victor", "Winston",
)  # fmt: skip
FILIPINO_FEMALE = (
    "Maria", "Jocelyn", "Mary Grace", "Rowena", "Liezel", "Maricel", "Lorna", "Rosalie", "Marites",
    "Jennifer", "Mylene", "Ana Marie", "Kristine", "Cristina", "Joy", "Rhea", "Arlene", "Analyn",
    "Gemma", "Lovely", "Shiela", "Cherry", "Jhoanna", "Rachelle", "Divina", "Imelda",
    "Aileen", "Angelica", "Aurora", "Carmela", "Charmaine", "Corazon", "Daisy", "Editha",
    "Elena", "Erlinda", "Evangeline", "Felicidad", "Gloria", "Grace", "Herminia", "Irene",
    "Jasmine", "Josephine", "Leonora", "Lourdes", "Luzviminda", "Mae", "Marilou", "Maribel",
    "Marissa", "Nenita", "Nora", "Perla", "Precious", "Remedios", "Rosario", "Rowena Mae",
    "Sheryl", "Teresita", "Veronica", "Vilma", "Wilma", "Zenaida", "April", "Bernadette",
    "Clarissa", "Dolores", "Girlie", "Honeylyn", "Janet", "Lani",
)  # fmt: skip
FILIPINO_SURNAMES = (
    "Santos", "Reyes", "Cruz", "Bautista", "Dela Cruz", "Garcia", "Mendoza", "Ocampo", "Torres",
    "Tomas", "Andrada", "Castillo", "Flores", "Villanueva", "Ramos", "Castro", "Rivera", "Aquino",
    "Navarro", "Salazar", "Mercado", "Aguilar", "Domingo", "Gonzales", "Pascual", "De Guzman",
    "Lopez", "Soriano", "Manalo", "Dizon", "Fernandez", "Valdez", "Gutierrez", "Sison",
    "Panganiban", "Macaraeg", "Cabrera", "Lacson", "Magbanua", "Buenaventura", "Marquez",
    "Samonte", "Tolentino", "Estrada", "Javier", "Padilla", "Velasco", "Rosales", "Santiago",
    "Mañalac", "Evangelista", "Lim", "Tan", "Sy", "Galang", "Bernardo", "Del Rosario", "Manansala",
    "Abad", "Abella", "Agbayani", "Alcantara", "Alvarez", "Arce", "Austria", "Bacani", "Balagtas",
    "Baltazar", "Banaag", "Belmonte", "Bondoc", "Calderon", "Canlas", "Carpio", "Castañeda",
    "Cayabyab", "Concepcion", "Cortez", "Cuenca", "David", "Delos Santos", "Diaz", "Dimaculangan",
    "Enriquez", "Escobar", "Espiritu", "Fajardo", "Francisco", "Gatchalian", "Guevarra",
    "Hernandez", "Ilagan", "Jimenez", "Labrador", "Lagman", "Legaspi", "Macapagal", "Madrigal",
    "Magsaysay", "Malabanan", "Mangubat", "Manalastas", "Medina", "Miranda", "Morales",
    "Natividad", "Nepomuceno", "Ong", "Pacheco", "Pangilinan", "Perez", "Quiambao", "Quizon",
    "Robles", "Roxas", "Sarmiento", "Sevilla", "Tiongson", "Umali", "Vergara", "Yap", "Zamora",
    "Agustin", "Alonzo", "Bagatsing", "Buenaflor", "Catacutan", "Dalisay", "Esguerra", "Gomez",
    "Ignacio", "Lorenzo", "Ordoñez", "Pineda", "Rodriguez", "Salvador", "Valenzuela", "Villareal",
)  # fmt: skip

NIGERIAN_MALE = (
    "Chinedu", "Emeka", "Oluwaseun", "Tunde", "Ifeanyi", "Chukwuemeka", "Obinna", "Nnamdi",
    "Babatunde", "Olumide", "Adebayo", "Segun", "Kelechi", "Uche", "Ikechukwu", "Femi", "Gbenga",
    "Kunle", "Musa", "Ibrahim", "Abubakar", "Sani", "Yusuf", "Emmanuel", "Samuel", "Godwin",
    "Friday", "Sunday", "Victor", "Daniel", "Adewale", "Ayodeji", "Chibuike", "Chidi", "Chukwudi",
    "Ebuka", "Ekene", "Ikenna", "Jide", "Kayode", "Lanre", "Nonso", "Obiora", "Olamide",
    "Olusegun", "Onyeka", "Rotimi", "Tobi", "Uchenna", "Yakubu", "Aliyu", "Bashir", "Haruna",
    "Idris", "Jibril", "Kabiru", "Nasiru", "Shehu", "Umaru", "Isa", "Mustapha", "Dayo", "Folarin",
    "Gbolahan", "Kehinde", "Taiwo", "Tosin", "Wale", "Chinonso", "Somto", "Ugochukwu", "Azubuike",
    "Okechukwu", "Peter", "Paul", "John", "Joseph", "Michael",
)  # fmt: skip
NIGERIAN_FEMALE = (
    "Ngozi", "Chiamaka", "Adaeze", "Funmilayo", "Blessing", "Chioma", "Nkechi", "Amaka", "Ifeoma",
    "Oluwakemi", "Folake", "Bukola", "Yetunde", "Aisha", "Fatima", "Hauwa", "Zainab", "Grace",
    "Joy", "Patience", "Esther", "Precious", "Favour", "Mercy", "Gift", "Abimbola", "Adaobi",
    "Adenike", "Ayomide", "Bisola", "Chidinma", "Chinwe", "Chinyere", "Ebere", "Folasade", "Funke",
    "Ifeyinwa", "Jumoke", "Kemi", "Modupe", "Nneka", "Obiageli", "Olabisi", "Omolara", "Onyinye",
    "Temitope", "Titilayo", "Uchechi", "Amina", "Halima", "Hadiza", "Khadija", "Maryam", "Rukayat",
    "Salamatu", "Comfort", "Deborah", "Ruth", "Sarah", "Victoria", "Peace", "Charity", "Happiness",
    "Goodness", "Ifunanya", "Tolulope", "Yewande", "Bunmi", "Lola", "Ronke",
)  # fmt: skip
NIGERIAN_SURNAMES = (
    "Okafor", "Okonkwo", "Adeyemi", "Balogun", "Eze", "Nwosu", "Afolabi", "Obi", "Okeke",
    "Nwankwo", "Ogunleye", "Adebayo", "Olawale", "Bello", "Abubakar", "Mohammed", "Ibrahim",
    "Usman", "Okoro", "Uzor", "Chukwu", "Onyekachi", "Nnaji", "Ekwueme", "Adeleke", "Oyelaran",
    "Akinola", "Ogundipe", "Ojo", "Babatunde", "Ayodele", "Olatunji", "Onuoha", "Agu", "Ude",
    "Ike", "Anyanwu", "Ezeh", "Onwuka", "Ogbu", "Iwu", "Okpara", "Adewale", "Fashola", "Lawal",
    "Yusuf", "Suleiman", "Danjuma", "Garba", "Aliyu",
)  # fmt: skip


# Elements a Central Asian surname adds to the man's name it is formed from (Tursun-boy-ev,
# Karim-jon-ov, Said-ali-yev, Tursun-qul-ov); not after a name that already ends with one.
CENTRAL_ASIAN_MIDDLES = ("jon", "bek", "ali", "qul", "boy")
_CENTRAL_ASIAN_NAME_ENDINGS = (*CENTRAL_ASIAN_MIDDLES, "ullo", "ulla", "iddin", "zod")

# Yoruba names are phrases of a head (Adé crown, Olú lord, Olúwa God, Akin valour, Ògún) and a
# rest (-yemí befits me, -wálé came home, -túndé came again): Adeyemi, Oluwaseun, Akintola.
YORUBA_HEADS = (
    "Ade", "Olu", "Oluwa", "Ayo", "Ola", "Ife", "Oye", "Akin", "Ogun", "Fola", "Bam", "Kola",
    "Oba", "Olo", "Ibi", "Ode", "Omo", "Owo", "Ajibo", "Ori",
)  # fmt: skip
YORUBA_RESTS = (
    "yemi", "wale", "bayo", "tunde", "kunle", "dele", "seun", "sola", "nike", "bisi", "dayo",
    "femi", "tola", "lade", "jide", "niyi", "biyi", "gbite", "kanmi", "labi", "leke", "lana",
    "yinka", "doyin", "muyiwa", "ranti", "tayo", "wunmi",
)  # fmt: skip
# Igbo names likewise: Chukwu (God), Nwa (child), Eze (king), Obi (heart) with a rest:
# Chukwuemeka, Nwankwo, Obinna, Onyekachi.
IGBO_HEADS = (
    "Chukwu", "Chi", "Nwa", "Eze", "Oko", "Obi", "Onye", "Ama", "Ike", "Uche", "Nna", "Ugo",
    "Ndu", "Ebe", "Ezi",
)  # fmt: skip
IGBO_RESTS = (
    "emeka", "ma", "nedu", "dike", "ka", "oma", "zoba", "gozie", "buike", "nna", "nkwo", "kachi",
    "kwere", "mere", "agu", "ebuka", "nso", "wuba", "lue", "dozie",
)  # fmt: skip
# Tagalog surnames are words with affixes: Dima-culang-an, Maca-pagal, Mag-banua, Pa-ngilin-an.
TAGALOG_PREFIXES = (
    "Ma",
    "Mag",
    "Maca",
    "Dima",
    "Pa",
    "Pang",
    "Sa",
    "Ta",
    "Taga",
    "Bala",
    "Ca",
    "Cala",
)
TAGALOG_ROOTS = (
    "bago", "lakas", "tibay", "ligaya", "lualhati", "culang", "pagal", "sakit", "lanas", "banua",
    "tanggol", "bitang", "salang", "yabyab", "guinto", "liwanag", "dalisay", "bagsik", "tapang",
    "hinog", "lindog", "bulos", "dungan", "sagot",
)  # fmt: skip
TAGALOG_SUFFIXES = ("", "an", "in")


def _patronymic(stem: str) -> str:
    # Abdulla -> Abdullayev, Tursunboy -> Tursunboyev, Karim -> Karimov.
    if stem.endswith("y"):
        return stem + "ev"
    return stem + ("yev" if stem[-1] in "aeiou" else "ov")


def patronymic_surnames(male_names: tuple[str, ...], *, tajik: bool = False) -> tuple[str, ...]:
    """Central Asian surnames from men's names: Karim -> Karimov, Abdulla -> Abdullayev, and for
    Tajiks also Rahmon -> Rahmonzoda."""
    surnames: dict[str, None] = {}
    for name in male_names:
        stem = name.replace("ʻ", "")
        surnames[_patronymic(stem)] = None
        if tajik:
            surnames[stem + "zoda"] = None
    return tuple(surnames)


def central_asian_formed(
    male_names: tuple[str, ...], listed: Iterable[str], *, tajik: bool = False
) -> tuple[str, ...]:
    """The rarer Central Asian surnames: a man's name with one of CENTRAL_ASIAN_MIDDLES, then
    -ov/-ev (and for Tajiks -zoda): Karimjonov, Saidaliyev, Tursunboyev, Nurbekzoda."""
    formed = []
    for name in male_names:
        stem = name.replace("ʻ", "")
        if stem.lower().endswith(_CENTRAL_ASIAN_NAME_ENDINGS):
            continue
        for middle in CENTRAL_ASIAN_MIDDLES:
            formed.append(_patronymic(stem + middle))
            if tajik:
                formed.append(stem + middle + "zoda")
    return unique_formed(formed, listed)


def nigerian_formed(listed: Iterable[str]) -> tuple[str, ...]:
    """The rarer Nigerian surnames, Yoruba and Igbo, head and rest."""
    yoruba = (head + rest for head in YORUBA_HEADS for rest in YORUBA_RESTS)
    igbo = (head + rest for head in IGBO_HEADS for rest in IGBO_RESTS)
    return unique_formed((*yoruba, *igbo), listed)


def filipino_formed(listed: Iterable[str]) -> tuple[str, ...]:
    """The rarer Filipino surnames: Tagalog words with their affixes."""
    return unique_formed(
        (
            prefix + root + suffix
            for prefix in TAGALOG_PREFIXES
            for root in TAGALOG_ROOTS
            for suffix in TAGALOG_SUFFIXES
        ),
        listed,
    )


def vietnamese_given(middles: tuple[str, ...], names: tuple[str, ...]) -> tuple[str, ...]:
    """Every middle name with every name, except a name repeating its middle (Minh Minh)."""
    return tuple(f"{middle} {name}" for middle in middles for name in names if middle != name)

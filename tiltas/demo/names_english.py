"""English name pools of the demo country (British, Irish and North American), most common first.

The order is an approximation from general knowledge, not from official statistics: names.py
draws them with weights that fall with the rank, so only the rough order matters.
"""

from __future__ import annotations

MALE = (
    "James", "John", "David", "Michael", "Robert", "William", "Thomas", "Daniel", "Christopher",
    "Matthew", "Andrew", "Joseph", "Richard", "Paul", "Mark", "Steven", "Peter", "Anthony",
    "Stephen", "Ryan", "Liam", "Jack", "George", "Harry", "Oliver", "Charles", "Kevin", "Brian",
    "Edward", "Jason", "Jonathan", "Benjamin", "Samuel", "Alexander", "Patrick", "Sean", "Adam",
    "Luke", "Connor", "Callum", "Jamie", "Lewis", "Craig", "Scott", "Gary", "Timothy", "Nicholas",
    "Joshua", "Jacob", "Nathan", "Aaron", "Henry", "Ethan", "Noah", "Tyler", "Dylan", "Owen",
    "Kyle", "Eric", "Gregory", "Kenneth", "Jeffrey", "Justin", "Brandon", "Frank", "Raymond",
    "Dennis", "Gavin", "Stuart", "Neil", "Barry", "Darren", "Colin", "Graham", "Niall", "Declan",
    "Keith", "Douglas", "Philip", "Arthur", "Alan", "Oscar", "Charlie", "Leo", "Alfie", "Archie",
    "Freddie", "Toby", "Logan", "Mason", "Elijah",
)  # fmt: skip

FEMALE = (
    "Sarah", "Emma", "Laura", "Emily", "Jessica", "Rebecca", "Hannah", "Mary", "Olivia", "Sophie",
    "Chloe", "Megan", "Amy", "Rachel", "Charlotte", "Elizabeth", "Jennifer", "Lisa", "Michelle",
    "Nicola", "Claire", "Louise", "Kelly", "Joanne", "Gemma", "Lauren", "Katie", "Amanda",
    "Stephanie", "Helen", "Anna", "Katherine", "Catherine", "Victoria", "Natalie", "Grace", "Lucy",
    "Ellie", "Amelia", "Isabella", "Ava", "Mia", "Ella", "Holly", "Jade", "Zoe", "Abigail", "Alice",
    "Jasmine", "Lily", "Ruby", "Evie", "Freya", "Poppy", "Eleanor", "Julie", "Angela", "Heather",
    "Siobhan", "Aoife", "Niamh", "Ciara", "Orla", "Caitlin", "Erin", "Shannon", "Danielle",
    "Kirsty", "Leanne", "Fiona", "Alison", "Diane", "Janet", "Patricia", "Susan", "Karen", "Linda",
    "Margaret", "Sandra", "Ashley", "Kimberly", "Melissa", "Nicole", "Samantha", "Christine",
    "Deborah", "Pamela", "Carol",
)  # fmt: skip

SURNAMES = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes",
    "Green", "Hall", "Lewis", "Harris", "Clarke", "Jackson", "Wood", "Turner", "Martin", "Cooper",
    "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan",
    "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young",
    "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell",
    "Shaw", "Murphy", "Miller", "Cox", "Richards", "Marshall", "Anderson", "Simpson", "Ellis",
    "Adams", "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Hunt",
    "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd",
    "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey",
    "Graham", "Pearson", "Fletcher", "Walsh", "Gibson", "Howard", "Andrews", "Stewart", "Elliott",
    "Reynolds", "Saunders", "Payne", "Fox", "Ford", "Pearce", "Day", "Brooks", "West", "Lawrence",
    "Cole", "Atkinson", "Bradley", "Spencer", "Dawson", "Ball", "Burton", "O'Brien", "Byrne",
    "McCarthy", "O'Sullivan", "Ryan", "Doyle", "O'Connor", "Kennedy", "Lynch", "Quinn",
    "McLaughlin", "O'Neill", "Brennan", "Burke", "Johnston", "Farrell", "Fitzgerald", "Brady",
    "Gallagher", "Doherty", "Kavanagh", "Nelson", "Hamilton", "MacDonald", "Robertson", "Reid",
    "Ross", "Paterson", "Fraser", "Morrison", "Henderson",
)  # fmt: skip

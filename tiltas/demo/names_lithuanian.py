"""Lithuanian name pools of the demo country, most common first.

The order is an approximation from general knowledge of which names are common among adults and
children in Lithuania, not from official statistics: names.py draws them with weights that fall
with the rank, so only the rough order matters. Surnames are in the masculine form; names.py
derives the feminine forms (lithuanian_feminine_forms).
"""

from __future__ import annotations

MALE = (
    "Tomas", "Mantas", "Darius", "Andrius", "Jonas", "Mindaugas", "Paulius", "Marius", "Lukas",
    "Tadas", "Vytautas", "Gediminas", "Rimantas", "Saulius", "Giedrius", "Dainius", "Audrius",
    "Aurimas", "Arūnas", "Kęstutis", "Algirdas", "Egidijus", "Žygimantas", "Evaldas", "Karolis",
    "Deividas", "Vaidas", "Robertas", "Rokas", "Matas", "Dovydas", "Nojus", "Justas", "Laurynas",
    "Ignas", "Edvinas", "Julius", "Povilas", "Aleksandras", "Raimondas", "Artūras", "Ričardas",
    "Sigitas", "Valdas", "Vidmantas", "Donatas", "Nerijus", "Ramūnas", "Remigijus", "Gintaras",
    "Antanas", "Petras", "Juozas", "Kazimieras", "Stasys", "Vladas", "Vytenis", "Arnas", "Domantas",
    "Emilis", "Herkus", "Kajus", "Jokūbas", "Benas", "Titas", "Martynas", "Simonas", "Augustas",
    "Eimantas", "Gytis", "Linas", "Ernestas", "Rytis", "Šarūnas", "Rolandas", "Viktoras", "Vilius",
    "Vainius", "Modestas", "Kristupas", "Dominykas", "Adomas", "Motiejus", "Pijus", "Joris",
    "Gustas", "Faustas", "Danielius", "Oskaras", "Aivaras", "Tautvydas", "Ugnius", "Vakaris",
    "Aistis", "Žilvinas", "Rimvydas", "Virgilijus", "Valentinas", "Vaclovas", "Zenonas",
    "Algimantas", "Alfonsas", "Bronius", "Romualdas", "Česlovas", "Henrikas", "Eugenijus", "Leonas",
    "Jurgis", "Vincas", "Mykolas", "Steponas", "Kazys", "Pranas", "Alvydas", "Vygantas", "Edmundas",
    "Vitalijus", "Arvydas", "Ąžuolas", "Liudas", "Gintautas", "Irmantas", "Ovidijus", "Osvaldas",
    "Valerijus", "Algis", "Aidas", "Nedas", "Klaudijus", "Tautvilas", "Eigirdas", "Kostas",
)  # fmt: skip

FEMALE = (
    "Rūta", "Jurgita", "Kristina", "Inga", "Laura", "Eglė", "Lina", "Aistė", "Ieva", "Gabija",
    "Austėja", "Simona", "Agnė", "Indrė", "Viktorija", "Greta", "Monika", "Gintarė", "Vilma",
    "Dalia", "Jolanta", "Rasa", "Asta", "Živilė", "Ugnė", "Goda", "Kotryna", "Miglė", "Neringa",
    "Irena", "Daiva", "Vida", "Loreta", "Edita", "Ramunė", "Renata", "Sandra", "Diana", "Aurelija",
    "Evelina", "Rita", "Regina", "Ona", "Janina", "Aldona", "Birutė", "Danutė", "Aušra", "Danguolė",
    "Skaistė", "Milda", "Saulė", "Emilija", "Justina", "Erika", "Giedrė", "Vaida", "Lijana",
    "Elena", "Marija", "Zita", "Violeta", "Virginija", "Ingrida", "Jūratė", "Sigita", "Audronė",
    "Vitalija", "Nijolė", "Dovilė", "Akvilė", "Ernesta", "Raminta", "Karolina", "Deimantė", "Urtė",
    "Gabrielė", "Paulina", "Amelija", "Liepa", "Adelė", "Ema", "Lėja", "Smiltė", "Kamilė",
    "Augustė", "Rugilė", "Vesta", "Guoda", "Orinta", "Vakarė", "Rusnė", "Eimantė", "Justė",
    "Dominyka", "Viltė", "Meda", "Barbora", "Jovita", "Laima", "Ilona", "Aida", "Daina", "Egidija",
    "Lolita", "Natalija", "Julija", "Vaiva", "Sonata", "Jurga", "Brigita", "Raimonda", "Alma",
    "Valerija", "Jolita", "Žaneta", "Gražina", "Genovaitė", "Stasė", "Stefanija", "Teresė", "Irma",
    "Agota", "Rima", "Vilija", "Reda",
)  # fmt: skip

SURNAMES_MASCULINE = (
    "Kazlauskas", "Jankauskas", "Petrauskas", "Stankevičius", "Vasiliauskas", "Žukauskas", "Butkus",
    "Paulauskas", "Urbonas", "Kavaliauskas", "Baranauskas", "Pocius", "Navickas", "Sakalauskas",
    "Šimkus", "Ramanauskas", "Savickas", "Žilinskas", "Lukoševičius", "Mikalauskas", "Rimkus",
    "Vaitkus", "Adomaitis", "Kairys", "Bernotas", "Kučinskas", "Mockus", "Jonaitis", "Šukys",
    "Urbonavičius", "Malinauskas", "Sabaliauskas", "Morkūnas", "Jakubauskas", "Marcinkevičius",
    "Gudaitis", "Norkus", "Stonkus", "Balčiūnas", "Grigas", "Mažeika", "Juška", "Daukša",
    "Vaičiulis", "Krasauskas", "Petraitis", "Dambrauskas", "Rutkauskas", "Jasiūnas", "Račkauskas",
    "Budrys", "Šiaulys", "Bagdonas", "Kaminskas", "Valančius", "Kalinauskas", "Jurevičius",
    "Mickevičius", "Vaitkevičius", "Tamošiūnas", "Kazakevičius", "Lapinskas", "Markevičius",
    "Jankūnas", "Bartkus", "Vilkas", "Černiauskas", "Pakalnis", "Jurkus", "Sadauskas",
    "Paškevičius", "Venckus", "Kubilius", "Kuzminskas", "Šapoka", "Šeštokas", "Vitkauskas",
    "Stasiulis", "Sinkevičius", "Rakauskas", "Milius", "Gaidys", "Misiūnas", "Jokubauskas",
    "Kriaučiūnas", "Vaitiekūnas", "Mačiulis", "Brazauskas", "Valaitis", "Žemaitis", "Kalvaitis",
    "Jurgaitis", "Stankus", "Karpavičius", "Ivanauskas", "Simonaitis", "Narbutas", "Rimkevičius",
    "Grybauskas", "Baltrūnas", "Barauskas", "Barkauskas", "Bartkevičius", "Baublys", "Bakšys",
    "Brazaitis", "Bulota", "Burba", "Butėnas", "Butkevičius", "Čepulis", "Česnavičius", "Dagys",
    "Daugėla", "Dovydaitis", "Gailius", "Gedvilas", "Giedraitis", "Gražulis", "Grigaliūnas",
    "Grinius", "Gustas", "Jakaitis", "Jakštas", "Jasaitis", "Jocys", "Jonikas", "Jucys", "Juodka",
    "Karalius", "Kasperavičius", "Klimas", "Krikščiūnas", "Krivickas", "Kudirka", "Laurinaitis",
    "Laurinavičius", "Lazauskas", "Leonavičius", "Levickas", "Liutkus", "Lukšys", "Mačys",
    "Masiulis", "Matulevičius", "Matulis", "Mikšys", "Naujokas", "Naujokaitis", "Nausėda",
    "Petkevičius", "Petrulis", "Poškus", "Pranckevičius", "Radavičius", "Razma", "Remeika",
    "Ruzgas", "Simanavičius", "Skučas", "Songaila", "Staniulis", "Steponavičius", "Strazdas",
    "Sutkus", "Šidlauskas", "Šimonis", "Šimaitis", "Tamošaitis", "Tamulis", "Tarvydas", "Tautkus",
    "Tumas", "Vaičiūnas", "Vaškelis", "Vyšniauskas", "Vitkus", "Zabarauskas", "Zaleckas", "Žukas",
    "Žvirblis", "Abromavičius", "Adomavičius", "Alekna", "Aleknavičius", "Ambrasas", "Andrijauskas",
    "Armonas", "Bagdonavičius", "Balsys", "Baltušis", "Banevičius", "Bieliauskas", "Būga",
    "Čiurlionis", "Daujotas", "Degutis", "Genys", "Gerulaitis", "Gintalas", "Girdzijauskas",
    "Gudelis", "Janulis", "Januškevičius", "Jasinskas", "Jasevičius", "Juozaitis", "Juozapavičius",
    "Jurėnas", "Juršėnas", "Kareiva", "Karčiauskas", "Kaupas", "Keršulis", "Kirkilas",
    "Klimavičius", "Kontrimas", "Kubiliūnas", "Lideikis", "Linkevičius", "Lukošius", "Lukša",
    "Masiliūnas", "Matulionis", "Merkys", "Miliauskas", "Mikėnas", "Mikutis", "Milašius",
    "Minkevičius", "Misevičius", "Motiejūnas", "Motuza", "Narkevičius", "Noreika", "Norvaiša",
    "Olšauskas", "Pakštas", "Palionis", "Pavilonis", "Pečiulis", "Petronis", "Pilkauskas",
    "Pivoriūnas", "Plioplys", "Pociūnas", "Puodžiūnas", "Radzevičius", "Raudys", "Rimša",
    "Rudzinskas", "Rupšys", "Sabonis", "Sakalas", "Sasnauskas", "Smetona", "Steponaitis", "Šakalys",
    "Šerkšnas", "Šlapikas", "Tamašauskas", "Trakimas", "Tumėnas", "Urbanavičius", "Vabalas",
    "Vaicekauskas", "Vainauskas", "Vaitkūnas", "Valiukevičius", "Valys", "Vaškevičius", "Viliūnas",
    "Zabiela", "Zakarevičius", "Zdanavičius", "Zinkevičius", "Žalys", "Žilys", "Žiogas",
    "Landsbergis", "Skvernelis", "Karbauskis", "Paksas", "Adamkus", "Kairiūkštis", "Gylys",
    "Ališauskas", "Bružas", "Dapkus", "Kaulakis", "Banys", "Januška", "Stanevičius", "Svirskis",
    "Vilkauskas",
)  # fmt: skip

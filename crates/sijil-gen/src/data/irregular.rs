//! Established Latin spellings of common names, per convention.
//!
//! Rule-based transliteration ([`crate::latin`]) produces plausible spellings for any name, but
//! the most frequent names have settled, partly irregular forms (Mohammed, Mouhamad, Mehmet;
//! Hatice for خديجة) that no letter rule yields. `(phonemic, [English, French, German,
//! Turkish])`; each cell lists spellings, most common first, separated by `|`. Written for this
//! generator from general knowledge of passports and refugee papers, not taken from any
//! matcher's dictionary.

/// Irregular spellings keyed by the phonemic form of [`super::male`], [`super::female`] and
/// [`super::family`].
pub(crate) static IRREGULAR: &[(&str, [&str; 4])] = &[
    (
        "muHammad",
        [
            "Mohammed|Mohammad|Muhammad|Mohamad|Mohamed|Muhammed|Mhd",
            "Mohamed|Mohammed|Mouhamad|Mohamad|Mouhammad",
            "Mohammed|Mohamad|Muhammad|Mohamed|Mohammad",
            "Muhammed|Mehmet|Muhammet|Mehmed|Muhamed",
        ],
    ),
    (
        "aHmad",
        [
            "Ahmad|Ahmed|Ahmmad",
            "Ahmed|Ahmad",
            "Ahmad|Ahmed|Achmed",
            "Ahmet|Ahmed|Ahmad",
        ],
    ),
    ("3alii", ["Ali|Aly", "Ali", "Ali", "Ali"]),
    (
        "3abd allaah",
        [
            "Abdullah|Abdallah|Abdulla|Abd Allah",
            "Abdallah|Abdellah|Abdullah",
            "Abdullah|Abdallah",
            "Abdullah|Abdulla",
        ],
    ),
    (
        "maHmuud",
        [
            "Mahmoud|Mahmood|Mahmud",
            "Mahmoud",
            "Mahmoud|Mahmud",
            "Mahmut|Mahmud",
        ],
    ),
    (
        "xaalid",
        [
            "Khaled|Khalid|Khaleed",
            "Khaled|Khalid",
            "Khaled|Chaled|Khalid",
            "Halit|Halid|Khaled",
        ],
    ),
    (
        "Hasan",
        [
            "Hassan|Hasan",
            "Hassan|Hasan",
            "Hassan|Hasan",
            "Hasan|Hassan",
        ],
    ),
    (
        "3umar",
        [
            "Omar|Umar|Omer",
            "Omar|Oumar",
            "Omar|Umar",
            "Ömer|Omer|Omar",
        ],
    ),
    (
        "muSTafaa",
        [
            "Mustafa|Moustafa|Mostafa|Mustapha",
            "Moustafa|Mustapha|Moustapha",
            "Mustafa|Mostafa",
            "Mustafa",
        ],
    ),
    (
        "ibraahiim",
        [
            "Ibrahim|Ebrahim|Ibraheem",
            "Ibrahim|Brahim",
            "Ibrahim",
            "İbrahim|Ibrahim",
        ],
    ),
    (
        "yuusuf",
        [
            "Yousef|Youssef|Yusuf|Yousif|Yosef",
            "Youssef|Youcef|Youssouf",
            "Yousef|Yusuf|Jusuf|Youssef",
            "Yusuf|Yousef",
        ],
    ),
    (
        "Husayn",
        [
            "Hussein|Hussain|Husain|Hussien|Husayn",
            "Houssein|Hussein|Houssain",
            "Hussein|Husein|Hussain",
            "Hüseyin|Huseyin|Hüsein",
        ],
    ),
    (
        "3abd al-raHmaan",
        [
            "Abdulrahman|Abdul Rahman|Abdelrahman|Abd Al-Rahman|Abdurrahman|Abdalrahman",
            "Abderrahmane|Abdelrahman|Abdel Rahman|Abdulrahman",
            "Abdulrahman|Abdul Rahman|Abdelrahman|Abdurrahman",
            "Abdurrahman|Abdulrahman|Abdürrahman",
        ],
    ),
    (
        "xaliil",
        ["Khalil|Khaleel", "Khalil", "Khalil|Chalil", "Halil"],
    ),
    (
        "3abd al-qaadir",
        [
            "Abdulkader|Abdul Qader|Abdelkader|Abdulqadir",
            "Abdelkader|Abdel Kader|Abdelkadir",
            "Abdulkader|Abdelkader|Abdulkadir",
            "Abdülkadir|Abdulkadir",
        ],
    ),
    (
        "ismaa3iil",
        [
            "Ismail|Ismael|Esmaeel",
            "Ismail|Ismaël",
            "Ismail",
            "İsmail|Ismail",
        ],
    ),
    (
        "SaaliH",
        ["Saleh|Salih", "Saleh|Salah", "Saleh|Salih", "Salih"],
    ),
    (
        "3uVmaan",
        [
            "Othman|Osman|Uthman",
            "Othmane|Osman|Otman",
            "Osman|Othman",
            "Osman",
        ],
    ),
    (
        "sulaymaan",
        [
            "Suleiman|Sulaiman|Soliman|Sleiman",
            "Souleiman|Slimane|Souleymane",
            "Suleiman|Sulaiman",
            "Süleyman|Suleyman",
        ],
    ),
    (
        "sa3iid",
        ["Saeed|Said|Saied", "Said|Saïd", "Said|Saeed", "Sait|Said"],
    ),
    (
        "waa'il",
        ["Wael|Wail|Wa'el", "Wael|Waïl", "Wael", "Vail|Wael"],
    ),
    (
        "Taariq",
        [
            "Tarek|Tariq|Tarik",
            "Tarek|Tarak",
            "Tarek|Tarik",
            "Tarık|Tarik",
        ],
    ),
    (
        "yaasir",
        [
            "Yasser|Yaser|Yasir",
            "Yasser|Yacer",
            "Jasser|Yasser|Yaser",
            "Yaser|Yasir",
        ],
    ),
    (
        "muusaa",
        ["Mousa|Musa|Moussa", "Moussa", "Musa|Mousa", "Musa"],
    ),
    (
        "3iisaa",
        ["Issa|Eisa|Isa", "Issa|Aissa", "Issa|Isa", "İsa|Isa"],
    ),
    ("Hamza@", ["Hamza|Hamzeh|Hamzah", "Hamza", "Hamza", "Hamza"]),
    (
        "usaama@",
        [
            "Osama|Usama|Ousama|Osamah",
            "Oussama|Ousama",
            "Osama|Usama",
            "Usame|Osama",
        ],
    ),
    (
        "jamaal",
        [
            "Jamal|Jamaal",
            "Djamel|Jamal|Djamal",
            "Jamal|Dschamal",
            "Cemal",
        ],
    ),
    (
        "caadii",
        ["Shadi|Shady", "Chadi|Chady", "Schadi|Shadi", "Şadi|Sadi"],
    ),
    (
        "raciid",
        [
            "Rasheed|Rashid|Rachid",
            "Rachid|Rached",
            "Raschid|Rashid",
            "Reşit|Raşit",
        ],
    ),
    (
        "yaHyaa",
        ["Yahya|Yehia|Yahia", "Yahia|Yahya", "Yahya|Jahja", "Yahya"],
    ),
    (
        "3abd al-kariim",
        [
            "Abdulkarim|Abdul Karim|Abdelkarim",
            "Abdelkrim|Abdelkarim",
            "Abdulkarim|Abdelkarim",
            "Abdülkerim|Abdulkerim",
        ],
    ),
    (
        "nuur al-diin",
        [
            "Nour Aldin|Nour al-Din|Noureddin|Nuraddin|Nour Eddin",
            "Noureddine|Nour Eddine|Nourredine",
            "Nuraddin|Nour al-Din|Nureddin",
            "Nurettin|Nureddin",
        ],
    ),
    (
        "SalaaH al-diin",
        [
            "Salah al-Din|Salahuddin|Salah Aldin|Salaheddin",
            "Salah Eddine|Salaheddine",
            "Salah ad-Din|Salahuddin",
            "Selahattin|Selahaddin",
        ],
    ),
    (
        "3alaa' al-diin",
        [
            "Alaa Aldin|Alaa al-Din|Alaaeddin|Alaeddin",
            "Alaeddine|Alaa Eddine",
            "Alaa ad-Din|Alaaddin",
            "Alaattin|Alaaddin",
        ],
    ),
    (
        "3alaa'",
        ["Alaa|Ala|Alaa'", "Alaa|Ala", "Alaa|Ala", "Ala|Alaa"],
    ),
    ("3ammaar", ["Ammar|Amar", "Ammar|Amar", "Ammar", "Ammar"]),
    ("bilaal", ["Bilal|Belal", "Bilal|Belal", "Bilal", "Bilal"]),
    (
        "ayman",
        [
            "Ayman|Aiman|Eyman",
            "Aymen|Ayman",
            "Aiman|Ayman",
            "Eyman|Ayman",
        ],
    ),
    (
        "faaTima@",
        [
            "Fatima|Fatimah|Fatmeh|Fatema",
            "Fatima|Fatma|Fatiha",
            "Fatima|Fatma",
            "Fatma|Fatime",
        ],
    ),
    (
        "3aa'ica@",
        [
            "Aisha|Aysha|Aishah|Aesha",
            "Aicha|Aïcha",
            "Aischa|Aisha",
            "Ayşe|Aişe|Ayse",
        ],
    ),
    (
        "xadiija@",
        [
            "Khadija|Khadijah|Khadeeja",
            "Khadidja|Khadija",
            "Chadidscha|Khadija|Hadija",
            "Hatice|Hadice",
        ],
    ),
    (
        "maryam",
        [
            "Mariam|Maryam|Mariyam",
            "Meriem|Mariam|Myriam",
            "Mariam|Maryam",
            "Meryem",
        ],
    ),
    (
        "zaynab",
        [
            "Zainab|Zaynab|Zeinab",
            "Zeinab|Zineb|Zaynab",
            "Zainab|Seinab|Zeinab",
            "Zeynep",
        ],
    ),
    (
        "aamina@",
        [
            "Amina|Aminah|Ameena|Amneh",
            "Amina|Aminata",
            "Amina",
            "Emine|Amine",
        ],
    ),
    (
        "hudaa",
        ["Huda|Hoda|Houda", "Houda|Hoda", "Huda|Hoda", "Hüda|Huda"],
    ),
    ("saara@", ["Sara|Sarah", "Sara|Sarah", "Sara", "Sara|Sare"]),
    ("riim", ["Reem|Rim|Rima", "Rim|Reem", "Rim|Reem", "Rim"]),
    (
        "iimaan",
        ["Eman|Iman|Imane", "Imane|Iman", "Iman|Eman", "İman|Iman"],
    ),
    (
        "asmaa'",
        ["Asmaa|Asma|Asmaa'", "Asma|Asmaa", "Asma|Asmaa", "Esma|Asma"],
    ),
    (
        "walaa'",
        ["Walaa|Wala|Walaa'", "Wala|Walaa", "Walaa", "Vela|Walaa"],
    ),
    (
        "ruqayya@",
        [
            "Ruqaya|Rukaya|Roukaya|Rokaya",
            "Roukaya|Rokia",
            "Rukaya|Ruqayya",
            "Rukiye|Rukiyye",
        ],
    ),
    (
        "Hasnaa'",
        ["Hasnaa|Hasna", "Hasna|Hasnaa", "Hasna", "Hasna"],
    ),
    (
        "al-Halabii",
        [
            "Al-Halabi|Alhalabi|Halabi|Al Halabi|Halaby",
            "El Halabi|Halabi|Al Halabi",
            "Al-Halabi|Halabi",
            "Halabi|El Halebi|Halebi",
        ],
    ),
    (
        "al-HimSii",
        [
            "Al-Homsi|Homsi|Alhomsi|Al Homsi",
            "El Homsi|Homsi",
            "Al-Homsi|Homsi",
            "Humsi|Homsi",
        ],
    ),
    (
        "al-xaTiib",
        [
            "Al-Khatib|Alkhatib|Khatib|Al Khateeb|El-Khatib",
            "El Khatib|Khatib",
            "Al-Khatib|Chatib|Khatib",
            "Hatip|El Hatib|Khatib",
        ],
    ),
    (
        "al-cayx",
        [
            "Al-Sheikh|Alsheikh|Sheikh|Al Shaikh|Al-Shaykh",
            "Cheikh|El Cheikh|Al Cheikh",
            "Al-Scheich|Scheich|Al-Sheikh",
            "Şeyh|Seyh|El Şeyh",
        ],
    ),
    (
        "al-miSrii",
        [
            "Al-Masri|Almasri|Masri|Al Masry|El-Masri",
            "El Masri|Masri",
            "Al-Masri|Masri",
            "Mısri|Masri",
        ],
    ),
    (
        "al-najjaar",
        [
            "Al-Najjar|Alnajjar|Najjar|Al Najar",
            "Najjar|El Najjar|Nadjar",
            "Al-Naddschar|Najjar|Al-Najjar",
            "Neccar|Naccar",
        ],
    ),
    (
        "al-Haddaad",
        [
            "Al-Haddad|Haddad|Alhaddad",
            "Haddad|El Haddad",
            "Al-Haddad|Haddad",
            "Haddat|Haddad",
        ],
    ),
    (
        "al-zu3bii",
        [
            "Al-Zoubi|Alzoubi|Zoubi|Al-Zubi|Al Zu'bi",
            "Zoubi|El Zoubi|Al Zoubi",
            "Al-Zoubi|Zubi|Al-Subi",
            "Zubi|Zoubi|El Zubi",
        ],
    ),
    (
        "al-aHmad",
        [
            "Al-Ahmad|Alahmad|Al Ahmed|Ahmad",
            "El Ahmad|Al Ahmad|Ahmed",
            "Al-Ahmad|Alahmad",
            "El Ahmet|Ahmet|Ahmad",
        ],
    ),
    (
        "al-muHammad",
        [
            "Al-Mohammad|Almohammad|Al Mohamed|Al-Muhammad",
            "El Mohamed|Al Mohammad|Mohamed",
            "Al-Mohammad|Almohamad",
            "El Muhammed|Muhammed|Mehmet",
        ],
    ),
    (
        "al-3alii",
        [
            "Al-Ali|Alali|Al Ali|Ali",
            "El Ali|Al Ali|Ali",
            "Al-Ali|Alali",
            "El Ali|Ali",
        ],
    ),
];

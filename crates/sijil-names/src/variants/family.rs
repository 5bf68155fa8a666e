//! Family names common in Syria (nisba, trade and clan names) with their Latin spellings.
//! Same format as the given names. The article is stripped from both the Arabic and the Latin
//! forms when the table is indexed, so `الحلبي`, `حلبي`, Al-Halabi and Halabi meet. Family
//! names that are also given names (حسن, علي, يوسف) need no line here: the given-name table
//! answers for them.

pub(super) const FAMILY: &str = "
الحلبي = Halabi, Halaby, Halabe, Halebi
الحمصي = Homsi, Homsy, Himsi, Humsi
الشامي = Shami, Chami, Shamy, Şami, Schami
الدمشقي = Dimashqi, Demashki, Dimachki, Dimashki
الحموي = Hamwi, Hamawi, Hamoui, Hamawy, Hamwy
الإدلبي = Idlibi, Edlebi, Idilbi, Edlibi
الحوراني = Hourani, Horani, Hawrani, Hurani
الخطيب = Khatib, Khateeb, Chatib, Hatip, Khattib
النجار = Najjar, Nadjar, Neccar, Najar, Naggar, Nadschar
الحداد | حداد = Haddad, Hadad, Haddade
الشيخ = Sheikh, Cheikh, Shaikh, Şeyh, Scheich, Shaykh, Shekh
الأسد = Assad, Asad, Esed
القباني = Kabbani, Qabbani, Kabani, Qabani, Kabbany
الكردي = Kurdi, Kurdy, Kürdi, Kourdi
التركماني = Turkmani, Torkmani, Türkmani
الحلاق = Hallak, Hallaq, Hallac
الصباغ = Sabbagh, Sabbag, Sebbag, Sabag, Sabbak
الدباغ = Dabbagh, Dabbag, Debbag
الخياط = Khayyat, Khayat, Hayyat, Kayat, Khaiat
العطار = Attar, Atar, Aattar
الزين = Zein, Zain, Zeyn
السيد = Sayed, Sayyed, Sayyid, Seyyid, Sayid
الحاج = Hajj, Haj, Hadj, Hac, Hage
المصري = Masri, Masry, Misri, Mısri
العراقي = Iraqi, Iraki, Irakli
الحكيم = Hakim, Hakeem, Hekim
الطويل = Tawil, Taweel, Tavil, Taouil
الجاسم = Jasem, Jassem, Jasim, Casim
الشهابي = Shehabi, Chehabi, Shihabi, Shahabi
العظم = Azem, Azm, Adhm
البيطار = Bitar, Baytar, Beytar, Bittar
الرفاعي = Rifai, Refai, Rifaii, Rfai, Rifaie
الكيلاني = Kilani, Keilani, Kaylani, Kilany, Keylani
الجزائري = Jazairi, Djazairi, Jazaery, Jazairy
الزعبي = Zoubi, Zuabi, Zubi, Zoabi, Zu'bi
المقداد = Mekdad, Miqdad, Mokdad, Meqdad, Mikdad
الحريري = Hariri, Hariry
الأتاسي = Atassi, Atasi, Attasi
الدروبي = Droubi, Drubi, Daroubi
السباعي = Sibai, Sebai, Sbai, Siba'i, Sibaie
الجندي = Jundi, Jondi, Gindi, Djoundi, Jendi
الموصلي = Mousali, Mosuli, Mawsili, Musuli, Mousalli
الأيوبي = Ayoubi, Ayyubi, Eyyubi, Ayubi
الشعار = Shaar, Chaar, Shaer
الفرا = Farra, Ferra, Fara
المهايني = Mahayni, Mahaini, Mhayni
الطباع = Tabbaa, Tabba, Tabaa
شحادة | شحاده = Shehadeh, Shahada, Chehade, Shehade, Chahade, Shehadah
خوري | الخوري = Khoury, Khouri, Khuri, Khory, Choury
الحسيني = Husseini, Hosseini, Husaini, Hüseyni
الكيالي = Kayyali, Kayali, Keyyali, Kayyaly
النحاس = Nahhas, Nahas, Nehhas
اللحام = Lahham, Laham, Lahhame
علوش = Alloush, Allouche, Alush, Aloush
علوان = Alwan, Olwan, Elwan, Alwane
حمدان = Hamdan, Hamdane
الخوجة = Khoja, Hodja, Hoca, Khouja, Khoga
المارديني = Mardini, Mardiny
الحجار = Hajjar, Hadjar, Haggar, Haddschar
الأخرس = Akhras, Ahras, Achras
السقا = Sakka, Saqqa, Saqa
الدالاتي = Dalati, Dalaty
المالكي = Maliki, Malki
العمري = Omari, Umari
البزرة = Bazra, Bezra
القدسي = Qudsi, Kudsi, Koudsi
";

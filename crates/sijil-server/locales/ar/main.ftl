# Sijil web application — Arabic (the default language).
# Every string a user reads comes from here; keep the ids in step with en/main.ftl.

app-name = سجل
app-tagline = السجل المدني
lang-self = العربية
footer-text = سجل — نظام السجل المدني. كل اطلاع على سجل شخص يُسجَّل في سجل التدقيق.

nav-skip = انتقل إلى المحتوى
nav-label = القائمة الرئيسية
nav-home = الرئيسية
nav-register = تسجيل شخص
nav-search = البحث
nav-review = قائمة المراجعة
nav-audit = سجل التدقيق
nav-users = المستخدمون
nav-offices = المكاتب
nav-logout = خروج
soon = قريباً
soon-title = غير متاح بعد
not-yet-available = غير متاح بعد.
choose = — اختر —
cancel = إلغاء
form-fix = صحّح الحقول المشار إليها ثم أعد الإرسال.

error-home = العودة إلى الرئيسية
error-forbidden-title = غير مسموح
error-forbidden-text = لا تسمح صلاحيتك بفتح هذه الصفحة.
error-not-found-title = غير موجود
error-not-found-text = لم نجد ما طلبته. تحقق من الرابط أو من الرقم المدخل.
error-csrf-title = انتهت صلاحية النموذج
error-csrf-text = لم نتمكن من التحقق من النموذج. افتح الصفحة من جديد وأعد المحاولة.
error-bad-request-title = طلب غير صالح
error-bad-request-text = وصل الطلب بشكل غير متوقع. افتح الصفحة من جديد وأعد المحاولة.
error-internal-title = خطأ داخلي
error-internal-text = حدث خطأ وسُجّل للمراجعة. أعد المحاولة بعد قليل.

login-title = تسجيل الدخول
login-intro = أدخل اسم المستخدم وكلمة المرور اللذين سلّمهما لك مدير النظام.
login-username = اسم المستخدم
login-password = كلمة المرور
login-submit = دخول
login-failed = اسم المستخدم أو كلمة المرور غير صحيحة.
login-locked = محاولات دخول فاشلة كثيرة؛ أعد المحاولة بعد ربع ساعة.

home-title = لوحة العمل
home-counts = أرقام اليوم
home-today = تسجيلات اليوم
home-persons = الأشخاص
home-records = السجلات المصدرية
home-events = الوقائع المدنية
home-users = المستخدمون
home-register-title = تسجيل جديد
home-register-text = سجّل شخصاً من الوثائق التي أمامك: الاسم، الأم، الولادة، القيد، ثم الوثائق والشهود.
home-open-title = فتح سجل شخص
home-open-none = لا يحمل أحد في السجل هذا الرقم الوطني
home-open = فتح
home-search-soon = البحث بالاسم (بالعربية أو باللاتينية) قادم قريباً.
home-audit-text = من فعل ماذا ومتى، وحالة سلسلة التدقيق.
home-audit-open = فتح سجل التدقيق
home-admin-title = الإدارة
home-review-title = قائمة المراجعة
home-packets-title = حزم المكاتب

field-name = الاسم
field-first-name = الاسم
field-father-name = اسم الأب
field-grandfather-name = اسم الجد
field-family-name = الكنية
field-mother-name = اسم الأم
field-mother-family-name = كنية الأم
field-sex = الجنس
field-birth-date = تاريخ الولادة
field-birth-place = مكان الولادة
field-registry-place = محل القيد
field-registry-number = رقم القيد
field-national-number = الرقم الوطني
field-source = المصدر
field-username = اسم المستخدم
field-display-name = الاسم الظاهر
field-role = الصلاحية
field-office = المكتب
field-password = كلمة المرور
field-code = الرمز
field-name-ar = الاسم بالعربية
field-name-en = الاسم بالإنكليزية
field-governorate = رمز المحافظة
field-secretariat = رمز أمانة السجل

hint-birth-date = سنة، أو سنة وشهر، أو تاريخ كامل: 1990 أو 1990-04 أو 1990-04-12
hint-registry-number = كما في دفتر العائلة
hint-national-number = إن كان للشخص رقم وطني؛ وإلا يُمنح رقماً جديداً

sex-M = ذكر
sex-F = أنثى

register-title = تسجيل شخص
register-intro = املأ الحقول بالترتيب كما في الوثائق. الحقول المعلَّمة بـ * مطلوبة.
register-fix = لم يُحفظ التسجيل: صحّح الحقول المشار إليها ثم أعد الإرسال.
register-already = سبق حفظ هذا النموذج. ابدأ تسجيلاً جديداً إن كان لشخص آخر.
register-group-name = الاسم
register-group-mother = الأم
register-group-birth = الولادة
register-group-register = القيد
register-group-evidence = الوثائق والشهود
register-evidence-intro = اذكر كل وثيقة اطلعت عليها ورقمها، وكل شاهد ورقمه الوطني.
register-kind-needed = اختر نوع الوثيقة
register-witness-named = اكتب اسم الشاهد وصلته
register-evidence-needed = اذكر وثيقة واحدة أو شاهداً واحداً على الأقل.
register-submit = حفظ التسجيل

evidence-document = وثيقة
evidence-none = — لا شيء —
evidence-reference = رقم الوثيقة
evidence-witness-name = الشاهد (الاسم والصلة)
evidence-witness-number = الرقم الوطني للشاهد
evidence-family-booklet = دفتر العائلة
evidence-civil-id-card = البطاقة الشخصية
evidence-birth-certificate = شهادة الولادة
evidence-passport = جواز السفر
evidence-register-extract = إخراج قيد
evidence-refugee-card = بطاقة مفوضية اللاجئين
evidence-court-decision = قرار محكمة
evidence-foreign-document = وثيقة أجنبية
evidence-witness = شاهد

registered-title = تم التسجيل
registered-new = أُنشئ شخص جديد ومُنح رقماً وطنياً.
registered-linked = رُبط التسجيل بشخص موجود في السجل.
registered-why = السبب
registered-open = فتح سجل الشخص
registered-another = تسجيل شخص آخر
reason-national-number = الرقم الوطني المدخل يعود إلى هذا الشخص
reason-national-number-new = رقم وطني لم يكن مسجلاً من قبل
reason-no-national-number = لا رقم وطنياً في التسجيل؛ أُنشئ شخص جديد

person-title = سجل شخص
person-print = نسخة للطباعة
person-current = البيانات الحالية
person-since = مسجل منذ
person-register = أفراد القيد
person-register-none = لا أفراد آخرين في هذا القيد.
person-events = الوقائع المدنية
person-events-none = لا وقائع مسجلة.
person-records = السجلات المصدرية
person-views = من اطلع على هذا السجل
person-views-none = لا اطلاع مسجل.

event-kind = الواقعة
event-date = التاريخ
event-place = المكان
event-spouse = الزوج أو الزوجة
event-spouse-open = فتح السجل
event-recorded-by = سجّلها
event-new = تسجيل واقعة مدنية
event-date-hint = تاريخ كامل: 2024-03-15
event-spouse-number = الرقم الوطني للزوج أو الزوجة
event-spouse-hint = للزواج والطلاق فقط
event-court = رقم إذن المحكمة
event-submit = حفظ الواقعة
event-recorded = حُفظت الواقعة.
event-not-recorded = لم تُحفظ الواقعة: صحّح الحقول المشار إليها.
event-spouse-unknown = لا يوجد شخص بهذا الرقم الوطني
event-birth = ولادة
event-death = وفاة
event-marriage = زواج
event-divorce = طلاق

record-captured = سُجّل في
record-officer = الموظف
record-office = المكتب
record-imported = من ملف مستورد
record-id = رقم السجل
record-evidence = الوثائق والشهود
record-evidence-none = لم تُذكر وثائق.

print-title = بيان قيد مدني
print-now = طباعة
print-back = العودة إلى السجل
print-printed = طُبع في

audit-title = سجل التدقيق
# Arabic has six plural forms; Fluent picks the one for the number.
audit-verified = { $count ->
    [zero] السلسلة سليمة: لا قيود بعد.
    [one] السلسلة سليمة: تحققنا من قيد واحد.
    [two] السلسلة سليمة: تحققنا من قيدين.
    [few] السلسلة سليمة: تحققنا من { $count } قيود.
    [many] السلسلة سليمة: تحققنا من { $count } قيداً.
   *[other] السلسلة سليمة: تحققنا من { $count } قيد.
}
audit-broken = السلسلة مكسورة عند القيد:
audit-officer = الموظف
audit-person = الشخص
audit-person-hint = الرقم الوطني أو معرّف الشخص
audit-person-unknown = لا يوجد شخص بهذا الرقم الوطني
audit-action = الإجراء
audit-any = أي إجراء
audit-since = من يوم
audit-until = إلى يوم
audit-filter = تصفية
audit-clear = مسح
audit-none = لا قيود تطابق التصفية.
audit-at = الوقت (UTC)
audit-office = المكتب
audit-subject = الموضوع
audit-detail = التفاصيل
audit-older = الأقدم
action-person-read = اطلاع على سجل شخص
action-person-events-read = اطلاع على وقائع شخص
action-register-read = اطلاع على قيد عائلي
action-record-register = تسجيل سجل
action-event-record = تسجيل واقعة
action-records-import = استيراد ملف
action-auth-login = دخول
action-auth-logout = خروج
action-auth-login-failed = محاولة دخول فاشلة
action-user-create = إنشاء مستخدم
action-office-create = إنشاء مكتب

role-administrator = مدير
role-clerk = أمين سجل
role-auditor = مدقق

users-title = المستخدمون
users-state = الحالة
users-created = أُنشئ في
users-active = فعّال
users-inactive = موقوف
users-new = مستخدم جديد
users-username-hint = أحرف لاتينية صغيرة وأرقام و . _ -
users-password-hint = 12 محرفاً على الأقل؛ سلّمها للمستخدم يداً بيد.
users-create = إنشاء المستخدم

offices-title = المكاتب
offices-new = مكتب جديد
offices-code-hint = أحرف لاتينية كبيرة وأرقام و -، مثل DAM-02
offices-create = إنشاء المكتب

nav-sync = المزامنة
sync-title = المزامنة مع المكاتب
sync-offices = المكاتب: آخر اتصال
sync-last-contact = آخر اتصال
sync-packets = الحزم المطبّقة
sync-duplicates = المستلمة مجدداً
sync-quarantined = المحجورة
sync-missing = المفقودة
sync-bytes = البايتات
sync-failures = عمليات نقل فاشلة
sync-devices = مفاتيح أجهزة المكاتب
sync-key = المفتاح
sync-label = الوصف
sync-approve = موافقة
sync-revoke = إلغاء
sync-quarantine = الحجر
sync-quarantine-empty = لا توجد حزمة بانتظار قرار.
sync-note = ملاحظة
sync-discard = رفض
sync-release = إطلاق وإعادة المحاولة
sync-outbox = بانتظار الإرسال إلى المركز
sync-unsealed = لم تُختم بعد
sync-pending = معلّقة
sync-sent = مُرسلة
sync-acknowledged = مؤكَّدة
sync-sequence = الرقم التسلسلي
device-requested = بانتظار الموافقة
device-approved = موافق عليه
device-revoked = ملغى
outbox-pending = معلّقة
outbox-sent = مُرسلة، بانتظار التأكيد
outbox-acknowledged = مؤكَّدة
reason-truncated = مبتورة
reason-malformed = ترويسة غير صالحة
reason-unsupported-version = صيغة غير مدعومة
reason-oversize = كبيرة جداً
reason-unknown-key = مفتاح غير معروف أو غير موافق عليه
reason-revoked-key = مفتاح ملغى
reason-foreign-key = مفتاح مكتب آخر
reason-decryption = تعذّر فك التشفير (عُدّلت في الطريق)
reason-bad-signature = توقيع غير صحيح
reason-header-mismatch = الترويسة لا تطابق المحتوى
reason-malformed-payload = محتوى غير صالح
reason-replay = إعادة إرسال (الرقم التسلسلي مستخدم)
reason-out-of-range = رقم تسلسلي خارج المجال
reason-record-exists = السجل مسجّل سابقاً
reason-validation = لا يجتاز التحقق
reason-registration = رُفض عند التسجيل

# Sijil web application — English.
# Every string a user reads comes from here; keep the ids in step with ar/main.ftl.

app-name = Sijil
app-tagline = Civil registry
lang-self = English
footer-text = Sijil — civil registry. Every look at a person's record is written to the audit log.

nav-skip = Skip to content
nav-label = Main menu
nav-home = Home
nav-register = Register a person
nav-search = Search
nav-review = Review queue
nav-audit = Audit log
nav-users = Users
nav-offices = Offices
nav-logout = Log out
soon = soon
soon-title = Not yet available
not-yet-available = Not yet available.
choose = — choose —
cancel = Cancel
form-fix = Correct the marked fields and submit again.

error-home = Back to the home page
error-forbidden-title = Not allowed
error-forbidden-text = Your role does not allow opening this page.
error-not-found-title = Not found
error-not-found-text = We could not find what you asked for. Check the link or the number you entered.
error-csrf-title = The form has expired
error-csrf-text = We could not verify the form. Open the page again and retry.
error-bad-request-title = Bad request
error-bad-request-text = The request arrived in an unexpected form. Open the page again and retry.
error-internal-title = Internal error
error-internal-text = Something went wrong and it has been logged. Try again in a moment.

login-title = Log in
login-intro = Enter the username and password your administrator gave you.
login-username = Username
login-password = Password
login-submit = Log in
login-failed = Wrong username or password.
login-locked = Too many failed logins; try again in 15 minutes.

home-title = Dashboard
home-counts = Today's figures
home-today = Registrations today
home-persons = Persons
home-records = Source records
home-events = Civil events
home-users = Users
home-register-title = New registration
home-register-text = Register a person from the documents in front of you: name, mother, birth, family register, then documents and witnesses.
home-open-title = Open a person's record
home-open-none = No one in the registry holds this national number
home-open = Open
home-search-soon = Search by name (in Arabic or Latin letters) is coming soon.
home-audit-text = Who did what and when, and the state of the audit chain.
home-audit-open = Open the audit log
home-admin-title = Administration
home-review-title = Review queue
home-packets-title = Office packets

field-name = Name
field-first-name = First name
field-father-name = Father's name
field-grandfather-name = Grandfather's name
field-family-name = Family name
field-mother-name = Mother's name
field-mother-family-name = Mother's family name
field-sex = Sex
field-birth-date = Date of birth
field-birth-place = Place of birth
field-registry-place = Register place
field-registry-number = Register number
field-national-number = National number
field-source = Source
field-username = Username
field-display-name = Display name
field-role = Role
field-office = Office
field-password = Password
field-code = Code
field-name-ar = Name in Arabic
field-name-en = Name in English
field-governorate = Governorate code
field-secretariat = Secretariat code

hint-birth-date = A year, a year and month, or a full date: 1990, 1990-04 or 1990-04-12
hint-registry-number = As in the family booklet
hint-national-number = If the person has one; otherwise a new number is issued

sex-M = Male
sex-F = Female

register-title = Register a person
register-intro = Fill in the fields in order, as in the documents. Fields marked * are required.
register-fix = Not saved: correct the marked fields and submit again.
register-already = This form was already saved. Start a new registration if it is for someone else.
register-group-name = Name
register-group-mother = Mother
register-group-birth = Birth
register-group-register = Family register
register-group-evidence = Documents and witnesses
register-evidence-intro = List each document you saw with its number, and each witness with their national number.
register-kind-needed = Choose the kind of document
register-witness-named = Write the witness's name and relation
register-evidence-needed = Give at least one document or one witness.
register-submit = Save the registration

evidence-document = Document
evidence-none = — none —
evidence-reference = Document number
evidence-witness-name = Witness (name and relation)
evidence-witness-number = Witness's national number
evidence-family-booklet = Family booklet
evidence-civil-id-card = Civil ID card
evidence-birth-certificate = Birth certificate
evidence-passport = Passport
evidence-register-extract = Register extract
evidence-refugee-card = UNHCR refugee card
evidence-court-decision = Court decision
evidence-foreign-document = Foreign document
evidence-witness = Witness

registered-title = Registered
registered-new = A new person was created and given a national number.
registered-linked = The registration was linked to a person already in the registry.
registered-why = Why
registered-open = Open the person's record
registered-another = Register another person
reason-national-number = The national number entered belongs to this person
reason-national-number-new = A national number not registered before
reason-no-national-number = No national number given; a new person was created

person-title = Person
person-print = Print view
person-current = Current details
person-since = Registered since
person-register = Family register members
person-register-none = No other members in this family register.
person-events = Civil events
person-events-none = No events recorded.
person-records = Source records
person-views = Who viewed this record
person-views-none = No views recorded.

event-kind = Event
event-date = Date
event-place = Place
event-spouse = Spouse
event-spouse-open = Open record
event-recorded-by = Recorded by
event-new = Record a civil event
event-date-hint = A full date: 2024-03-15
event-spouse-number = Spouse's national number
event-spouse-hint = For marriage and divorce only
event-court = Court authorisation number
event-submit = Save the event
event-recorded = The event was saved.
event-not-recorded = The event was not saved: correct the marked fields.
event-spouse-unknown = No person holds this national number
event-birth = Birth
event-death = Death
event-marriage = Marriage
event-divorce = Divorce

record-captured = Captured
record-officer = officer
record-office = office
record-imported = from an imported file
record-id = Record id
record-evidence = Documents and witnesses
record-evidence-none = No documents given.

print-title = Civil register extract
print-now = Print
print-back = Back to the record
print-printed = Printed

audit-title = Audit log
audit-verified = { $count ->
    [one] The chain is intact: 1 entry verified.
   *[other] The chain is intact: { $count } entries verified.
}
audit-broken = The chain is broken at entry:
audit-officer = Officer
audit-person = Person
audit-person-hint = National number or person id
audit-person-unknown = No person holds this national number
audit-action = Action
audit-any = Any action
audit-since = From day
audit-until = To day
audit-filter = Filter
audit-clear = Clear
audit-none = No entries match the filter.
audit-at = Time (UTC)
audit-office = Office
audit-subject = Subject
audit-detail = Detail
audit-older = Older
action-person-read = Viewed a person
action-person-events-read = Viewed a person's events
action-register-read = Viewed a family register
action-record-register = Registered a record
action-event-record = Recorded an event
action-records-import = Imported a file
action-auth-login = Logged in
action-auth-logout = Logged out
action-auth-login-failed = Failed login
action-user-create = Created a user
action-office-create = Created an office

role-administrator = Administrator
role-clerk = Registrar
role-auditor = Auditor

users-title = Users
users-state = State
users-created = Created
users-active = Active
users-inactive = Suspended
users-new = New user
users-username-hint = Lowercase Latin letters, digits and . _ -
users-password-hint = At least 12 characters; hand it to the user in person.
users-create = Create the user

offices-title = Offices
offices-new = New office
offices-code-hint = Capital Latin letters, digits and -, such as DAM-02
offices-create = Create the office

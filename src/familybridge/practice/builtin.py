"""The built-in instruments and training catalog, written in our own words.

The values inventory has 24 belief statements on the themes of the Collaborative Practice Model;
each statement is tied to the element it most bears on, so a round can be profiled by element.
The capacity self-assessment has three statements per element.
"""

VALUES_INVENTORY = {
    "code": "values-inventory",
    "name": "Collaborative values inventory",
    "description": (
        "24 statements about addiction, recovery, parenting, child safety, timeliness and working together. "
        "Say how far you agree. There are no right answers: the point is to see where partners see things differently."
    ),
    "items": [
        ("V01", 1, "Addiction", "Substance use disorder is a chronic health condition, not a failure of character."),
        (
            "V02",
            1,
            "Addiction",
            "A parent who keeps using after a child is removed does not care enough about the child.",
        ),
        (
            "V03",
            1,
            "Recovery",
            "Relapse is a common part of recovery and should not by itself end reunification efforts.",
        ),
        ("V04", 1, "Recovery", "Recovery is possible within the time limits the law sets for reunification."),
        (
            "V05",
            1,
            "Parenting",
            "A parent in early recovery can safely care for a young child with the right supports.",
        ),
        ("V06", 1, "Child safety", "When in doubt, a child's safety must come before keeping the family together."),
        (
            "V07",
            1,
            "Timeliness",
            "Children's sense of time means permanency decisions cannot wait for a parent's recovery.",
        ),
        ("V08", 3, "Engagement", "Court sanctions help parents stay in treatment."),
        ("V09", 3, "Engagement", "Parents engage in treatment better when they are treated as partners, not as cases."),
        (
            "V10",
            3,
            "Engagement",
            "Medication for opioid use disorder is a legitimate part of recovery, not replacing one drug with another.",
        ),
        (
            "V11",
            2,
            "Screening",
            "Every parent who comes to child welfare's attention should be screened for substance use.",
        ),
        ("V12", 2, "Screening", "A positive drug test is enough to show that a parent cannot care for a child safely."),
        (
            "V13",
            4,
            "Children",
            "Children of parents with SUD need services of their own, not only their parents' treatment.",
        ),
        (
            "V14",
            4,
            "Children",
            "Prenatal substance exposure should lead to a plan of safe care, not automatically to removal.",
        ),
        (
            "V15",
            5,
            "Community",
            "Peer recovery supports are as important to a family's recovery as clinical treatment.",
        ),
        (
            "V16",
            5,
            "Community",
            "Housing and employment problems are as much a barrier to reunification as substance use.",
        ),
        (
            "V17",
            6,
            "Information sharing",
            "Treatment providers share enough information for child welfare to make safe decisions.",
        ),
        (
            "V18",
            6,
            "Information sharing",
            "Confidentiality rules protect parents more than they get in the way of helping families.",
        ),
        ("V19", 6, "Information sharing", "The court receives the information it needs in time for each hearing."),
        ("V20", 8, "Shared language", "Staff in my agency understand how the other systems make their decisions."),
        ("V21", 9, "Collaboration", "Working with the other systems takes time that is worth spending."),
        ("V22", 10, "Shared outcomes", "The three systems are jointly responsible for whether a family reunifies."),
        ("V23", 10, "Shared outcomes", "My agency would change how it works if shared data showed a better way."),
        ("V24", 1, "Collaboration", "The partner agencies trust one another's judgment about families."),
    ],
}

CAPACITY_ASSESSMENT = {
    "code": "capacity-self-assessment",
    "name": "Collaborative capacity self-assessment",
    "description": (
        "How well are treatment, child welfare and the court linked in our partnership today? Rate each statement "
        "for the partnership as you see it from your seat, element by element."
    ),
    "items": [
        ("C01", 1, "", "The partnership has a written shared mission that every agency has signed."),
        ("C02", 1, "", "An oversight committee and a steering committee meet regularly and take decisions."),
        ("C03", 1, "", "Differences of view between partners are discussed openly and acted on."),
        ("C04", 2, "", "Parents coming into child welfare are screened for substance use with an agreed tool."),
        ("C05", 2, "", "A parent who screens positive is assessed by a treatment provider within an agreed time."),
        ("C06", 2, "", "Assessment results come back to child welfare and the court in a form they can use."),
        ("C07", 3, "", "A referred parent can start treatment within days, not weeks."),
        ("C08", 3, "", "The partners act together when a parent stops attending treatment."),
        ("C09", 3, "", "Treatment is adapted to the needs of parents with children in care."),
        ("C10", 4, "", "Children of parents in treatment are screened for developmental and emotional needs."),
        ("C11", 4, "", "Infants with prenatal substance exposure have a plan of safe care."),
        ("C12", 4, "", "Services for children are coordinated with their parents' treatment plan."),
        ("C13", 5, "", "Families leave with recovery supports in place when their case closes."),
        ("C14", 5, "", "The partnership works with housing, employment and family support providers."),
        ("C15", 5, "", "Peer recovery specialists are part of the team around the family."),
        ("C16", 6, "", "Agreed consent forms let information move lawfully between the systems."),
        ("C17", 6, "", "Progress reports from treatment reach child welfare and the court on time."),
        ("C18", 6, "", "The partners can link their data to follow families across systems."),
        ("C19", 7, "", "The partnership knows how each service it relies on is funded."),
        ("C20", 7, "", "Funds from more than one system are combined to pay for family services."),
        ("C21", 7, "", "There is a written plan to sustain the work after current grants end."),
        ("C22", 8, "", "Staff of each system are trained in how the other systems work."),
        ("C23", 8, "", "New staff learn about the partnership and its protocols as part of induction."),
        ("C24", 8, "", "The partners use shared terms that mean the same thing in each system."),
        ("C25", 9, "", "Written agreements exist with mental health and domestic violence services."),
        ("C26", 9, "", "Referrals to related agencies are followed up until the family is seen."),
        ("C27", 9, "", "Tribal partners and early childhood programs take part in planning."),
        ("C28", 10, "", "The partners have agreed a set of outcomes they all own."),
        ("C29", 10, "", "Shared outcome figures are reported to the steering committee on a set schedule."),
        ("C30", 10, "", "Decisions of the partnership can be traced to what the data showed."),
    ],
}

BUILTIN_INSTRUMENTS = (VALUES_INVENTORY, CAPACITY_ASSESSMENT)

# NCSACW's free online tutorials and its Child Welfare Training Toolkit, described in our own words.
BUILTIN_COURSES = (
    (
        "ncsacw-tutorial-treatment",
        "ncsacw_tutorial",
        "treatment",
        "Online tutorial for treatment professionals: child welfare and the dependency court",
        5,
    ),
    (
        "ncsacw-tutorial-child-welfare",
        "ncsacw_tutorial",
        "child_welfare",
        "Online tutorial for child welfare professionals: SUD, treatment and recovery",
        5,
    ),
    (
        "ncsacw-tutorial-legal",
        "ncsacw_tutorial",
        "court",
        "Online tutorial for legal professionals: SUD, treatment and recovery",
        5,
    ),
    ("ncsacw-toolkit-01", "ncsacw_toolkit", "", "Toolkit core module 1: the multiple needs of families", 2),
    (
        "ncsacw-toolkit-02",
        "ncsacw_toolkit",
        "",
        "Toolkit core module 2: substance use disorders and their treatment",
        2,
    ),
    ("ncsacw-toolkit-03", "ncsacw_toolkit", "", "Toolkit core module 3: engaging families affected by SUD", 2),
    ("ncsacw-toolkit-04", "ncsacw_toolkit", "", "Toolkit core module 4: screening and assessment", 2),
    ("ncsacw-toolkit-05", "ncsacw_toolkit", "", "Toolkit core module 5: case planning with families in recovery", 2),
    ("ncsacw-toolkit-06", "ncsacw_toolkit", "", "Toolkit core module 6: recovery and reunification", 2),
    ("ncsacw-toolkit-07", "ncsacw_toolkit", "", "Toolkit core module 7: collaboration across systems", 2),
    ("ncsacw-toolkit-08", "ncsacw_toolkit", "", "Toolkit special topic: prenatal substance exposure", 2),
    ("ncsacw-toolkit-09", "ncsacw_toolkit", "", "Toolkit special topic: methamphetamine", 2),
    ("ncsacw-toolkit-10", "ncsacw_toolkit", "", "Toolkit special topic: opioids", 2),
)

"""Agenda items saved from the handbook's agenda (Appendix III) and never edited get its
key and lose their text, so each reader reads them in their own language.

An item is the handbook's when its title and its description are those of one handbook
item, in English or in French, as the catalogue read when this migration was written (the
texts are copied here: a migration never imports the app's code, and later wording changes
must not change what it converts). An item whose title is the handbook's but whose
description a coordinator changed is the coordinator's edit, and keeps its text.
"""

from django.db import migrations

# key: [(English title, description), (French title, description)]
HANDBOOK = {
    "introductions": [
        (
            "Introductions",
            "Participants state in turn:\n"
            "- their local union;\n"
            "- their role in the union; and\n"
            "- why they are interested in the mentoring program.",
        ),
        (
            "Présentations",
            "Les personnes participantes indiquent à tour de rôle\xa0:\n"
            "- leur section locale;\n"
            "- leur rôle dans le syndicat;\n"
            "- les raisons de leur intérêt pour le programme de mentorat.",
        ),
    ],
    "overview": [
        (
            "Overview of the mentoring program",
            "- How long does the program last?\n"
            "- What does it involve?\n"
            "- Why do mentoring? What are its potential benefits? (If possible, have past "
            "program participants speak about their experiences and how mentoring has "
            "helped them.)\n"
            "- What are the roles and responsibilities of mentors and mentees?\n"
            "- What time commitment is required of mentors and mentees?",
        ),
        (
            "Aperçu du programme de mentorat",
            "- Combien de temps dure le programme?\n"
            "- Que comporte-t-il?\n"
            "- Pourquoi faire du mentorat? Quels en sont les avantages possibles? (Si "
            "possible, invitez des personnes ayant déjà participé au programme à parler de "
            "leur expérience et de l'aide que le mentorat leur a apportée.)\n"
            "- Quels sont les rôles et les responsabilités des mentors et des personnes "
            "mentorées?\n"
            "- Quel engagement de temps est exigé des mentors et des personnes "
            "mentorées?",
        ),
    ],
    "getting_acquainted": [
        (
            "Getting acquainted",
            "Mentors and mentees meet individually to discuss their completed "
            "mentor and mentee survey forms. Topics to discuss include:\n"
            "- current positions and responsibilities;\n"
            "- career paths and experiences;\n"
            "- expectations for the mentoring program;\n"
            "- goals to explore during the mentoring relationship; and\n"
            "- resources that may be useful in achieving these goals.",
        ),
        (
            "Faire connaissance",
            "Les mentors et les personnes mentorées se rencontrent en "
            "tête-à-tête pour discuter de leurs questionnaires de mentor et de "
            "personne mentorée déjà remplis. Les sujets de discussion "
            "comprennent\xa0:\n"
            "- les postes et les responsabilités actuels;\n"
            "- les cheminements de carrière et les expériences;\n"
            "- les attentes à l'égard du programme de mentorat;\n"
            "- les objectifs à explorer au cours de la relation de mentorat;\n"
            "- les ressources qui peuvent être utiles pour atteindre ces "
            "objectifs.",
        ),
    ],
    "work_plan": [
        (
            "Completing work plan and timeline",
            "- Mentor and mentee exchange contact information (name, e-mail, phone).\n"
            "- Determine frequency and length of meetings.\n"
            "- Schedule next session date, time, and length.\n"
            "- If meeting by phone, decide who will place the call.\n"
            "- If meeting in person, determine the location.\n"
            "- Discuss any other logistical issues.\n"
            "- Fill out a work plan or set-the-stage template (see Appendix IV).\n"
            "- Talk about format of mentoring sessions (may want to use Session Structure "
            "for Mentor and Session Preparation Guide for Mentee, see Appendix V and "
            "Appendix VI).",
        ),
        (
            "Préparer le plan de travail et l'échéancier",
            "- Le mentor et la personne mentorée échangent leurs coordonnées (nom, "
            "courriel, téléphone).\n"
            "- Déterminer la fréquence et la durée des rencontres.\n"
            "- Fixer la date, l'heure et la durée de la prochaine rencontre.\n"
            "- Si la rencontre a lieu par téléphone, décider qui fera l'appel.\n"
            "- Si la rencontre a lieu en personne, déterminer l'endroit.\n"
            "- Discuter de toute autre question logistique.\n"
            "- Remplir un plan de travail ou un modèle «\xa0Préparer le terrain\xa0» "
            "(voir l'annexe IV).\n"
            "- Parler du déroulement des rencontres de mentorat (on peut utiliser la "
            "Structure de rencontre pour le mentor et le Guide de préparation de la "
            "rencontre pour la personne mentorée; voir l'annexe V et l'annexe VI).",
        ),
    ],
    "wrap_up": [("Wrap up", ""), ("Conclusion", "")],
}


def _same(a: str, b: str) -> bool:
    """The same words and punctuation, whatever the spaces between them: line ends, and the
    no-break spaces French typography puts before "?", ":" and inside « » (added to the
    catalogue after this copy was made), change nothing a reader would call an edit."""
    return "".join(a.split()) == "".join(b.split())


def _key(title: str, description: str) -> str:
    for key, versions in HANDBOOK.items():
        for handbook_title, handbook_description in versions:
            if _same(title, handbook_title) and _same(description, handbook_description):
                return key
    return ""


def to_keys(apps, schema_editor):
    AgendaItem = apps.get_model("mentoring_sessions", "AgendaItem")
    for item in AgendaItem.objects.filter(key="").only("pk", "title", "description"):
        key = _key(item.title, item.description)
        if key:
            AgendaItem.objects.filter(pk=item.pk).update(key=key, title="", description="")


def to_texts(apps, schema_editor):
    """Back to stored text, in English (the language the site falls back to)."""
    AgendaItem = apps.get_model("mentoring_sessions", "AgendaItem")
    for key, versions in HANDBOOK.items():
        title, description = versions[0]
        AgendaItem.objects.filter(key=key).update(key="", title=title, description=description)


class Migration(migrations.Migration):
    dependencies = [("mentoring_sessions", "0006_agenda_item_handbook_key")]

    operations = [migrations.RunPython(to_keys, to_texts)]

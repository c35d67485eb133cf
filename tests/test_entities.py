"""Entities: canonical people and sides, matched loosely, extended by a user file without code changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.entities import ENV_VAR, UNKNOWN_OUTLET, Entities, default_entities, match_key
from extractor.errors import ConfigError
from extractor.records import Attribution, SideKind


@pytest.fixture(scope="module")
def ents() -> Entities:
    return Entities.load()


# --- matching rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Élysée Palace", "elysee palace"),
        ("the Kremlin", "Kremlin"),
        ("THE KREMLIN", "kremlin"),
        ("Macron’s office", "Macron's office"),
        ("Vučić", "Vucic"),
        ("U.S. President", "US president"),
        ("  Radio Free Europe/Radio Liberty ", "radio free europe radio liberty"),
    ],
)
def test_match_key_ignores_case_accents_punctuation_and_leading_the(left: str, right: str) -> None:
    assert match_key(left) == match_key(right)


def test_match_key_keeps_an_inner_the() -> None:
    assert match_key("press secretary of the Russian president") == "press secretary of the russian president"


# --- person -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Putin", "Vladimir Putin"),
        ("Russian President Vladimir Putin", "Vladimir Putin"),
        ("the Russian leader", "Vladimir Putin"),
        ("Kremlin chief", "Vladimir Putin"),
        ("President Donald Trump", "Donald Trump"),
        ("the US president", "Donald Trump"),
        ("French President Emmanuel Macron", "Emmanuel Macron"),
        ("the french president", "Emmanuel Macron"),
        ("Yury Ushakov", "Yuri Ushakov"),
        ("Russian presidential aide Yury Ushakov", "Yuri Ushakov"),
        ("Kremlin Spokesman Dmitry Peskov", "Dmitry Peskov"),
        ("Zelensky", "Volodymyr Zelenskyy"),
        ("Ukrainian President Volodymyr Zelenskyy", "Volodymyr Zelenskyy"),
        ("Orban", "Viktor Orbán"),
        ("ORBÁN", "Viktor Orbán"),
        ("Vucic", "Aleksandar Vučić"),
        ("Slovak Prime Minister Robert Fico", "Robert Fico"),
        ("King Salman bin Abdulaziz Al Saud", "King Salman"),
        ("US special envoy Steve Witkoff", "Steve Witkoff"),
        ("Russian Foreign Minister Sergey Lavrov", "Sergey Lavrov"),
        ("US Secretary of State Rex Tillerson", "Rex Tillerson"),
        ("Friedrich Merz", "Friedrich Merz"),
        ("German Chancellor Olaf Scholz", "Olaf Scholz"),
    ],
)
def test_person_resolves_aliases(ents: Entities, written: str, canonical: str) -> None:
    assert ents.person(written) == canonical


@pytest.mark.parametrize("written", ["the Kremlin", "Macron's office", "Politico", "Boris Johnson", "", None])
def test_person_is_none_for_sides_outlets_and_strangers(ents: Entities, written: str | None) -> None:
    assert ents.person(written) is None


def test_press_secretary_is_not_the_president(ents: Entities) -> None:
    # the longest alias wins: "Russian president" is inside the press secretary's title
    assert ents.person("the press secretary of the Russian president, Dmitry Peskov") == "Dmitry Peskov"
    assert ents.person("Russian presidential press secretary") == "Dmitry Peskov"


# --- participants -------------------------------------------------------------------------------


def test_participants_canonical_deduplicated_sorted(ents: Entities) -> None:
    names = ["Trump", "Russian President Vladimir Putin", "Putin", "President Donald Trump"]
    assert ents.participants(names) == ["Donald Trump", "Vladimir Putin"]


def test_participants_keep_unknown_names_as_written(ents: Entities) -> None:
    got = ents.participants(["  Boris Johnson ", "Macron", "boris johnson", "", "Keir  Starmer"])
    assert got == ["Boris Johnson", "Emmanuel Macron", "Keir Starmer"]


def test_participants_empty(ents: Entities) -> None:
    assert ents.participants([]) == []


# --- side_of ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "side"),
    [
        ("Putin", "Kremlin"),
        ("Peskov", "Kremlin"),
        ("Lavrov", "Kremlin"),
        ("Trump", "White House"),
        ("Witkoff", "White House"),
        ("Macron", "Élysée"),
        ("Zelenskyy", "Ukraine"),
        ("Orbán", "Hungary"),
        ("Fico", "Slovakia"),
        ("Vučić", "Serbia"),
        ("Scholz", "Germany"),
        ("King Salman", "Saudi Arabia"),
        ("Moscow", "Kremlin"),
        ("Elysee", "Élysée"),
        ("the US side", "White House"),
        ("Washington Post", "The Washington Post"),
        ("the Post", "The Washington Post"),
        ("tass", "TASS"),
        ("Boris Johnson", None),
        (None, None),
    ],
)
def test_side_of(ents: Entities, name: str | None, side: str | None) -> None:
    assert ents.side_of(name) == side


def test_kind_of(ents: Entities) -> None:
    assert ents.kind_of("Kremlin") is SideKind.OFFICIAL
    assert ents.kind_of("elysee") is SideKind.OFFICIAL
    assert ents.kind_of("Reuters") is SideKind.OUTLET
    assert ents.kind_of("Nowhere Gazette") is SideKind.OTHER


# --- attribute ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("speaker", "chain", "side", "kind"),
    [
        ("Ushakov", ["Yuri Ushakov", "Kremlin"], "Kremlin", SideKind.OFFICIAL),
        ("Kremlin aide Yuri Ushakov", ["Yuri Ushakov", "Kremlin"], "Kremlin", SideKind.OFFICIAL),
        ("Putin", ["Vladimir Putin", "Kremlin"], "Kremlin", SideKind.OFFICIAL),
        ("Macron's office", ["Élysée"], "Élysée", SideKind.OFFICIAL),
        ("Macron’s office", ["Élysée"], "Élysée", SideKind.OFFICIAL),
        ("the Élysée Palace", ["Élysée"], "Élysée", SideKind.OFFICIAL),
        ("the Elysee Palace", ["Élysée"], "Élysée", SideKind.OFFICIAL),
        ("a senior Elysée official", ["Élysée"], "Élysée", SideKind.OFFICIAL),
        ("According to the Russian side", ["Kremlin"], "Kremlin", SideKind.OFFICIAL),
        ("the Kremlin press service", ["Kremlin"], "Kremlin", SideKind.OFFICIAL),
        ("Trump", ["Donald Trump", "White House"], "White House", SideKind.OFFICIAL),
        ("Politico", ["Politico"], "Politico", SideKind.OUTLET),
        ("The Washington Post", ["The Washington Post"], "The Washington Post", SideKind.OUTLET),
        ("per the Post", ["The Washington Post"], "The Washington Post", SideKind.OUTLET),
        ("According to TASS calculations", ["TASS"], "TASS", SideKind.OUTLET),
        ("RBC-Ukraine sources", ["RBC-Ukraine"], "RBC-Ukraine", SideKind.OUTLET),
    ],
)
def test_attribute_known_speakers(
    ents: Entities, speaker: str, chain: list[str], side: str, kind: SideKind
) -> None:
    got = ents.attribute(speaker, outlet="The Week")
    assert got == Attribution(speaker=speaker, chain=chain, side=side, side_kind=kind)


def test_attribute_no_speaker_is_the_outlet(ents: Entities) -> None:
    got = ents.attribute(None, outlet="RBC-Ukraine")
    assert got == Attribution(
        speaker=None, chain=["RBC-Ukraine"], side="RBC-Ukraine", side_kind=SideKind.OUTLET
    )
    # an outlet the list knows is given its canonical name
    assert ents.attribute("  ", outlet="the national interest").side == "The National Interest"


def test_attribute_unknown_outlet_keeps_its_name(ents: Entities) -> None:
    got = ents.attribute(None, outlet=" Kyiv Independent ")
    assert got == Attribution(
        speaker=None, chain=["Kyiv Independent"], side="Kyiv Independent", side_kind=SideKind.OUTLET
    )


def test_attribute_no_speaker_no_outlet(ents: Entities) -> None:
    got = ents.attribute(None, outlet=None)
    assert got.side == UNKNOWN_OUTLET
    assert got.side_kind is SideKind.UNKNOWN
    assert got.chain == []


def test_attribute_unknown_speaker_without_hint(ents: Entities) -> None:
    got = ents.attribute("a Western diplomat", outlet="TASS")
    assert got == Attribution(
        speaker="a Western diplomat",
        chain=["a Western diplomat"],
        side="a Western diplomat",
        side_kind=SideKind.OTHER,
    )


def test_attribute_unknown_speaker_with_hint_takes_the_hinted_side(ents: Entities) -> None:
    got = ents.attribute("a diplomatic source", outlet="TASS", side_hint="the Elysee")
    assert got.side == "Élysée"
    assert got.side_kind is SideKind.OFFICIAL
    assert got.chain[0] == "a diplomatic source"
    assert got.chain[-1] == "Élysée"


def test_attribute_unknown_hint_is_kept_as_written(ents: Entities) -> None:
    got = ents.attribute("a source", outlet=None, side_hint=" Polish government ")
    assert (got.side, got.side_kind) == ("Polish government", SideKind.OTHER)


def test_attribute_known_person_ignores_the_hint(ents: Entities) -> None:
    assert ents.attribute("Ushakov", outlet=None, side_hint="White House").side == "Kremlin"


# --- the data file ------------------------------------------------------------------------------


def test_packaged_list_has_the_people_and_outlets_it_promises(ents: Entities) -> None:
    people = set(ents.persons)
    assert {
        "Vladimir Putin",
        "Donald Trump",
        "Emmanuel Macron",
        "Dmitry Peskov",
        "Yuri Ushakov",
        "Volodymyr Zelenskyy",
        "Olaf Scholz",
        "Friedrich Merz",
        "Viktor Orbán",
        "Robert Fico",
        "Aleksandar Vučić",
        "King Salman",
        "Sergey Lavrov",
        "Rex Tillerson",
        "Steve Witkoff",
    } <= people
    outlets = {name for name, side in ents.sides.items() if side.kind is SideKind.OUTLET}
    assert {
        "TASS",
        "RBC-Ukraine",
        "The Week",
        "The National Interest",
        "Politico",
        "France24",
        "The Washington Post",
        "Reuters",
        "BFMTV",
        "RTL",
        "DW",
        "CNN",
        "Radio Free Europe/Radio Liberty",
    } <= outlets
    for person in ents.persons.values():
        assert person.side in ents.sides, person


def write(tmp_path: Path, text: str, name: str = "entities.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


USER_FILE = """
[[person]]
name = "Andrzej Duda"
side = "Poland"
aliases = ["Duda", "Polish President"]

[[side]]
name = "Poland"
kind = "official"
aliases = ["Warsaw", "Polish side"]

[[person]]
name = "Vladimir Putin"
aliases = ["VVP"]
"""


def test_a_user_file_adds_a_person_without_code_changes(tmp_path: Path) -> None:
    ents = Entities.load(write(tmp_path, USER_FILE))
    assert ents.person("Polish President Andrzej Duda") == "Andrzej Duda"
    got = ents.attribute("Duda", outlet=None)
    assert got == Attribution(
        speaker="Duda", chain=["Andrzej Duda", "Poland"], side="Poland", side_kind=SideKind.OFFICIAL
    )
    assert ents.side_of("Warsaw") == "Poland"
    # merged over the packaged list: an existing person keeps his aliases and side, and gains new ones
    assert ents.person("VVP") == "Vladimir Putin"
    assert ents.person("Kremlin chief") == "Vladimir Putin"
    assert ents.side_of("VVP") == "Kremlin"
    assert ents.person("Trump") == "Donald Trump"


def test_the_environment_variable_names_the_user_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert default_entities().person("Duda") is None
    assert default_entities() is default_entities()
    monkeypatch.setenv(ENV_VAR, str(write(tmp_path, USER_FILE)))
    assert default_entities().person("Duda") == "Andrzej Duda"


def test_a_user_file_can_move_an_alias_and_change_a_side(tmp_path: Path) -> None:
    text = """
[[person]]
name = "Donald Trump"
side = "Trump campaign"

[[side]]
name = "Washington State"
kind = "other"
aliases = ["Washington"]
"""
    ents = Entities.load(write(tmp_path, text))
    assert ents.side_of("Trump") == "Trump campaign"
    assert ents.kind_of("Trump campaign") is SideKind.OTHER
    assert ents.side_of("Washington") == "Washington State"
    assert ents.side_of("the White House") == "White House"


def test_a_person_side_is_canonicalised(tmp_path: Path) -> None:
    text = '[[person]]\nname = "Jean Dupont"\nside = "the elysee"\n'
    ents = Entities.load(write(tmp_path, text))
    assert ents.side_of("Dupont") is None  # "Dupont" alone is not an alias
    assert ents.side_of("Jean Dupont") == "Élysée"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[[person]\nname = 'x'", "not valid TOML"),
        ("[[people]]\nname = 'X'", "unknown tables"),
        ("[[person]]\nside = 'Kremlin'", "non-empty name"),
        ("[[person]]\nname = 'X'\nnickname = 'Y'", "unknown keys"),
        ("[[side]]\nname = 'X'\nkind = 'newspaper'", "kind must be one of"),
        ("[[person]]\nname = 'X'\naliases = 'Y'", "aliases must be a list"),
        ("[[person]]\nname = 'X'\n[[person]]\nname = 'x'", "given twice"),
        ("[[person]]\nname = 'X'\naliases = ['Z']\n[[person]]\nname = 'Y'\naliases = ['z']", "names both"),
    ],
)
def test_a_bad_user_file_is_a_config_error_naming_the_file(tmp_path: Path, text: str, problem: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=problem) as caught:
        Entities.load(path)
    assert str(path) in str(caught.value)


def test_a_missing_user_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot be read"):
        Entities.load(tmp_path / "absent.toml")

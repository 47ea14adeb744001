"""The Chicago author–date style without Sphinx (edition.sphinxext.chicago):
each kind of work's reference-list entry, word for word; the list's order;
citations told apart where two would read alike; dates, editions and page
ranges in Chicago's form."""

from __future__ import annotations

import re

import pytest
from pybtex.database import parse_string

from edition.sphinxext.chicago import STYLE, fields, register_plugins
from edition.sphinxext.chicago.citation import citations

BIB = r"""
@book{knight1993beria,
  author = {Knight, Amy}, title = {{Beria}: {Stalin's} First Lieutenant},
  publisher = {Princeton University Press}, address = {Princeton, NJ}, year = {1993},
  isbn = {0-691-03257-2}, pagetotal = {xvi, 312}
}
@book{naumov1999beriia,
  editor = {Naumov, V. P. and Sigachev, Iu.}, editortype = {compiler},
  editora = {Iakovlev, A. N.}, editoratype = {general editor},
  title = {{Lavrentii Beriia}. 1953. {Stenogramma iiul'skogo plenuma TsK KPSS} i drugie dokumenty},
  titleaddon = {[{Lavrentii Beria}, 1953: {Stenographic} record of the {July} plenum]},
  series = {Rossiia. {XX} vek. Dokumenty},
  publisher = {Mezhdunarodnyi fond ``Demokratiia''}, address = {Moscow}, year = {1999}
}
@book{freeze2009,
  editor = {Freeze, Gregory L.}, title = {{Russia}: A History}, edition = {Third},
  publisher = {Oxford University Press}, address = {Oxford}, year = {2009}
}
@book{translated,
  author = {Grossman, Vasily}, translator = {Chandler, Robert},
  title = {Life and Fate}, publisher = {Harvill}, address = {London}, year = {1985}
}
@article{kramer1999,
  author = {Kramer, Mark}, title = {The Early Post-{Stalin} Succession Struggle ({Part} 1)},
  journal = {Journal of Cold War Studies}, volume = {1}, number = {1}, year = {1999},
  pages = {3--55}
}
@article{beria1953speech,
  author = {Beriia, Lavrentii Pavlovich},
  title = {[{Speech} at the funeral meeting for {I. V. Stalin}, 9 {March} 1953]},
  journal = {Pravda}, entrysubtype = {newspaper}, year = {1953}, month = mar, date = {1953-03-10}
}
@article{dunayevskaya1953beria,
  author = {Dunayevskaya, Raya}, title = {The {Beria} Purge}, journal = {Correspondence},
  entrysubtype = {newspaper}, volume = {1}, number = {1}, year = {1953}, date = {1953-10-03},
  url = {https://www.marxists.org/archive/dunayevskaya/works/1953/beria-purge.htm}
}
@article{time1953mancharge,
  title = {The Man in Charge}, journal = {Time}, entrysubtype = {magazine},
  year = {1953}, date = {1953-08-17}
}
@online{cwihp1953hungary,
  title = {Transcript of Conversation between the {Soviet} Leadership and {Hungarian Workers' Party} Delegation in {Moscow}, 13 {June} 1953},
  shorttitle = {Transcript of Conversation},
  organization = {Wilson Center Digital Archive}, year = {1953},
  url = {https://digitalarchive.wilsoncenter.org/document/transcript}, urldate = {2024-05-12}
}
@incollection{jones2010,
  author = {Jones, Polly}, title = {The Fall of a Favourite}, booktitle = {Soviet Politics},
  editor = {Brown, Anne and Green, Bob}, pages = {101--108},
  publisher = {Macmillan}, address = {London}, year = {2010}
}
@book{beria1994otets,
  author = {Beriia, Sergo Lavrent'evich}, title = {Moi otets -- {Lavrentii Beriia}},
  publisher = {Sovremennik}, address = {Moscow}, year = {1994}
}
@book{smithb, author = {Smith, John}, title = {Zebras}, year = {2000}}
@book{smitha, author = {Smith, John}, title = {Aardvarks}, year = {2000}}
@book{smithandco, author = {Smith, John and Bell, Ann}, title = {Together}, year = {1990}}
@book{four, author = {Abel, Ann and Baker, Ben and Cole, Cy and Dunn, Di}, title = {Four Hands}, year = {2001}}
@book{brent2003plot,
  author = {Brent, Jonathan and Naumov, Vladimir P.}, title = {{Stalin's} Last Crime},
  publisher = {HarperCollins}, address = {New York}, year = {2003}
}
"""

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def formatted():
    """key → (citation label, entry as plain text, entry as HTML), in the list's order."""
    import pybtex.plugin

    register_plugins()
    style = pybtex.plugin.find_plugin("pybtex.style.formatting", STYLE)()
    entries = style.sort(parse_string(BIB, "bibtex").entries.values())
    labels = style.format_labels(entries)
    out = {}
    for label, entry in zip(labels, entries):
        done = style.format_entry(label, entry)
        html = re.sub(r'<span class="bibtex-protected">(.*?)</span>', r"\1", done.text.render_as("html"))
        out[entry.key] = (label, done.text.render_as("text").replace(NBSP, " "), html.replace("&nbsp;", " "))
    return out


@pytest.mark.parametrize("key, expected", [
    # A book.
    ("knight1993beria",
     "Knight, Amy. 1993. Beria: Stalin's First Lieutenant. Princeton, NJ: Princeton University Press."),
    # A compiled volume of documents: compilers, a general editor, a translated title, a series.
    ("naumov1999beriia",
     "Naumov, V. P., and Iu. Sigachev, comps. 1999. Lavrentii Beriia. 1953. Stenogramma "
     "iiul'skogo plenuma TsK KPSS i drugie dokumenty [Lavrentii Beria, 1953: Stenographic "
     "record of the July plenum]. General editor, A. N. Iakovlev. Rossiia. XX vek. Dokumenty. "
     "Moscow: Mezhdunarodnyi fond “Demokratiia.”"),
    # An edited book in an edition; a translated book.
    ("freeze2009", "Freeze, Gregory L., ed. 2009. Russia: A History. 3rd ed. Oxford: Oxford University Press."),
    ("translated", "Grossman, Vasily. 1985. Life and Fate. Translated by Robert Chandler. London: Harvill."),
    # A journal article: volume (issue): pages.
    ("kramer1999", "Kramer, Mark. 1999. “The Early Post-Stalin Succession Struggle (Part 1).” "
                   "Journal of Cold War Studies 1 (1): 3–55."),
    # A newspaper article with a title the editor supplied (in brackets, not quoted).
    ("beria1953speech", "Beriia, Lavrentii Pavlovich. 1953. [Speech at the funeral meeting for "
                        "I. V. Stalin, 9 March 1953]. Pravda, 10 March 1953."),
    ("dunayevskaya1953beria", "Dunayevskaya, Raya. 1953. “The Beria Purge.” Correspondence 1, no. 1 "
                              "(3 October 1953). https://www.marxists.org/archive/dunayevskaya/works/"
                              "1953/beria-purge.htm."),
    # An unsigned magazine article: the magazine in the author's place.
    ("time1953mancharge", "Time. 1953. “The Man in Charge.” 17 August 1953."),
    # A web page without author: its title first; the access date before the address.
    ("cwihp1953hungary", "“Transcript of Conversation between the Soviet Leadership and Hungarian "
                         "Workers' Party Delegation in Moscow, 13 June 1953.” 1953. Wilson Center "
                         "Digital Archive. Accessed 12 May 2024. "
                         "https://digitalarchive.wilsoncenter.org/document/transcript."),
    # A chapter: "In Book, edited by …, pages" (101–108 abbreviated as Chicago does).
    ("jones2010", "Jones, Polly. 2010. “The Fall of a Favourite.” In Soviet Politics, edited by "
                  "Anne Brown and Bob Green, 101–8. London: Macmillan."),
])
def test_each_kind_of_work_in_chicago_form(formatted, key, expected):
    assert formatted[key][1] == expected


def test_titles_are_italic_or_quoted_by_kind_and_keep_their_capitals(formatted):
    assert "<em>Beria: Stalin's First Lieutenant</em>." in formatted["knight1993beria"][2]
    assert "“The Man in Charge.”" in formatted["time1953mancharge"][2]
    assert "<em>Time</em>. 1953." in formatted["time1953mancharge"][2]
    assert "<em>Journal of Cold War Studies</em> 1 (1)" in formatted["kramer1999"][2]
    # The supplied title is neither italic nor quoted; the translation of a title is roman.
    assert "[Speech at" in formatted["beria1953speech"][2] and "“[" not in formatted["beria1953speech"][2]
    assert "dokumenty</em> [Lavrentii Beria" in formatted["naumov1999beriia"][2]
    assert '<a href="https://www.marxists.org/' in formatted["dunayevskaya1953beria"][2]


def test_the_list_is_sorted_by_author_then_year_then_title(formatted):
    assert list(formatted) == [
        "four", "beria1953speech", "beria1994otets", "brent2003plot", "dunayevskaya1953beria",
        "freeze2009", "translated", "jones2010", "knight1993beria", "kramer1999",
        "naumov1999beriia", "smitha", "smithb", "smithandco", "time1953mancharge", "cwihp1953hungary",
    ]


def test_citations_are_told_apart(formatted):
    labels = {key: label.replace(NBSP, " ") for key, (label, _, _) in formatted.items()}
    # Two authors of one surname: their initials (Chicago 15.21); one author written two ways is one.
    assert labels["beria1953speech"] == "L. P. Beriia 1953"
    assert labels["beria1994otets"] == "S. L. Beriia 1994"
    assert labels["brent2003plot"] == "Brent and Naumov 2003"
    assert labels["naumov1999beriia"] == "Naumov and Sigachev 1999"
    # One author, one year: lettered in the list's order, in the entry too.
    assert (labels["smitha"], labels["smithb"]) == ("Smith 2000a", "Smith 2000b")
    assert formatted["smithb"][1].startswith("Smith, John. 2000b. Zebras.")
    # Four or more authors: the first and et al.; titles and periodicals in their dress.
    assert labels["four"] == "Abel et al. 2001"
    assert labels["time1953mancharge"] == "Time 1953"
    assert labels["cwihp1953hungary"] == "“Transcript of Conversation” 1953"


def test_a_citation_made_from_one_entry_alone():
    entry = parse_string(BIB, "bibtex").entries["four"]
    citation = citations([entry])["four"]
    assert citation.full_author.render_as("text") == "Abel, Baker, Cole, and Dunn"
    assert citation.year == "2001"


@pytest.mark.parametrize("written, printed", [
    ("3--55", "3–55"), ("71--72", "71–72"), ("96--117", "96–117"), ("100--104", "100–104"),
    ("1100--1113", "1100–1113"), ("101--108", "101–8"), ("1103--1104", "1103–4"),
    ("321--328", "321–28"), ("498--532", "498–532"), ("1087--1089", "1087–89"),
    ("1496--1500", "1496–500"), ("11564--11615", "11564–615"), ("12991--13001", "12991–3001"),
    ("681-690", "681–90"), ("xvi--xx", "xvi–xx"), ("45", "45"),
])
def test_page_ranges_as_chicago_abbreviates_them(written, printed):
    assert fields.page_range(written) == printed


@pytest.mark.parametrize("written, printed", [
    ("Third", "3rd ed."), ("2", "2nd ed."), ("11", "11th ed."), ("21", "21st ed."), ("Revised", "Revised ed."),
])
def test_editions(written, printed):
    assert fields.edition(written) == printed


def test_dates_and_years():
    entry = parse_string("@article{a, title={T}, journal={J}, year={1953}, month=aug}", "bibtex").entries["a"]
    assert fields.full_date(entry) == "August 1953" and fields.year(entry) == "1953"
    undated = parse_string("@misc{b, title={T}}", "bibtex").entries["b"]
    assert fields.year(undated) == "n.d." and fields.full_date(undated) == ""

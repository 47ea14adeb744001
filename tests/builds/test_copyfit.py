"""``edition copyfit`` on the real edition, from no fitting at all: it fills
every page that ends short (a paragraph tracked a line longer or shorter,
or the page's gaps stretched), and writes the file the next build applies."""

import shutil

import pytest

from edition import copyfit
from edition.build.copyfit import fit_pages
from edition.project import Project
from edition.verify.fill import fill

pytestmark = pytest.mark.docbuild


def test_copyfit_fills_short_pages_and_each_fit_gains_or_loses_its_line(project, tmp_path):
    root = tmp_path / "project"
    for name in ("book", "seeds"):
        shutil.copytree(project.root / name, root / name, ignore=shutil.ignore_patterns("generated"))
    shutil.copy(project.root / "refs.bib", root / "refs.bib")
    (root / "book" / copyfit.FILE_NAME).unlink()
    copy = Project(root)
    said: list[str] = []
    result = fit_pages(copy, say=said.append)
    assert said and said[0].startswith("copyfit: ")
    assert len(result.filled) >= 8 and len(result.fits) >= len(result.filled)
    assert result.short == []
    assert copyfit.read(root / "book" / copyfit.FILE_NAME) == {"critical.a5": result.fits}
    assert all(abs(fit.tracking) <= copyfit.MAX_TRACKING and fit.space >= 0 and (fit.tracking or fit.space)
               and fit.begins for fit in result.fits.values())
    # The build it leaves is the fitted book: every page it filled is within a line.
    from pypdf import PdfReader

    pdf = root / "build" / "pdf" / "beria-1953.pdf"
    folios = list(PdfReader(pdf).page_labels)
    pages = {folios[page.number - 1]: page for page in fill(pdf)}
    assert all(pages[folio].lines_short <= 1 for folio in result.filled)
    assert not any(page.stranded and page.opens != "piece" for page in pages.values())

"""The explorer page and GraphiQL in a real browser: Debian's Chromium driven by selenium through
chromedriver, against ``lineage serve`` on the example platform. The browser's own network log
shows that neither page asks any host but the service for anything."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait
from support import EXAMPLES
from support.serving import served

from lineage.config import StoreSettings
from lineage.service import import_files, open_store

pytestmark = pytest.mark.slow
WAIT = 20
"""Seconds a step may take before the test fails (a bound on waiting, not a measure)."""


def _binary(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    pytest.fail(f"{names[0]} is not installed: run scripts/system-packages --browser")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    db = tmp_path / "lineage.db"
    store = open_store(StoreSettings(db_path=db))
    try:
        import_files(store, "yaml", [EXAMPLES / "platform.lineage.yaml"])
        import_files(store, "c4", [EXAMPLES / "docs"])
    finally:
        store.close()
    with served(db) as (base, _):
        yield base


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    options = Options()
    options.binary_location = _binary("chromium", "chromium-browser")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_argument("--window-size=1600,1000")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(_binary("chromedriver")), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def requested_urls(driver: WebDriver) -> set[str]:
    """Every URL the page asked for, from the browser's network log."""
    found = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            found.add(message["params"]["request"]["url"])
    return found


_TITLES = (
    "return Array.from(document.querySelectorAll('#diagram svg g.node title'), t => t.textContent)"
)


def _titles(driver: WebDriver) -> list[str]:
    """The ids of the drawing's boxes, read in one script: a drawing replaced while they were
    read one element at a time would leave stale elements."""
    return list(driver.execute_script(_TITLES))


def _box(driver: WebDriver, node_id: str) -> object:
    """The drawing's box of ``node_id`` (Graphviz titles each box with its node's id)."""
    for group in driver.find_elements(By.CSS_SELECTOR, "#diagram svg g.node"):
        if group.find_element(By.TAG_NAME, "title").get_attribute("textContent") == node_id:
            return group
    raise AssertionError(f"no box for {node_id}")


def only_the_service(urls: set[str], base: str) -> bool:
    return all(url.startswith((base + "/", "data:", "blob:")) for url in urls)


def test_search_draw_and_recentre_with_no_request_elsewhere(site: str, browser: WebDriver) -> None:
    wait = WebDriverWait(browser, WAIT)
    browser.get(site + "/")
    browser.find_element(By.ID, "search").send_keys("online store")
    wait.until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#results li[data-id='feature:online-store']")
    )
    browser.find_element(By.CSS_SELECTOR, "#results li[data-id='feature:online-store']").click()
    wait.until(lambda d: "feature:online-store:" in d.find_element(By.ID, "status").text)
    titles = set(_titles(browser))
    assert {
        "feature:online-store",
        "model:recommendation",
        "job:flink-feature-computation",
    } <= titles
    details = browser.find_element(By.ID, "details").text
    assert "FEATURE" in details and "examples/platform.lineage.yaml:" in details
    # click a neighbour in the drawing: it becomes the centre, with its own details
    click = "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))"
    browser.execute_script(click, _box(browser, "model:recommendation"))
    wait.until(lambda d: "model:recommendation:" in d.find_element(By.ID, "status").text)
    wait.until(lambda d: "MODEL" in d.find_element(By.ID, "details").text)
    # filter by kind: the next drawing keeps the models and the root only
    for kind in ("source", "topic", "dataset", "job", "feature", "schema"):
        browser.find_element(By.ID, f"kind-{kind.upper()}").click()
    wait.until(
        lambda d: (drawn := _titles(d)) and all(title.startswith("model:") for title in drawn)
    )
    # the loops list draws one loop
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#loops li"))
    browser.find_element(By.CSS_SELECTOR, "#loops li").click()
    wait.until(lambda d: "feedback loop 1" in d.find_element(By.ID, "status").text)
    urls = requested_urls(browser)
    assert any(url.endswith("/graphql") for url in urls)
    assert only_the_service(urls, site), sorted(urls)


def test_graphiql_loads_from_the_service_alone(site: str, browser: WebDriver) -> None:
    browser.get(site + "/graphql")
    WebDriverWait(browser, WAIT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".graphiql-container .graphiql-editors")
    )
    assert "Loading" not in browser.find_element(By.ID, "graphiql").text
    urls = requested_urls(browser)
    assert any("/static/vendor/graphiql/graphiql.min.js" in url for url in urls)
    assert only_the_service(urls, site), sorted(urls)


def test_the_vendored_files_are_those_the_manifest_pins() -> None:
    from lineage.api.app import STATIC

    manifest = json.loads((STATIC / "vendor" / "MANIFEST.json").read_text())
    assert set(manifest) == {"react", "react-dom", "graphiql"}
    for package, pin in manifest.items():
        assert pin["integrity"].startswith("sha512-") and pin["license"] == "MIT"
        for name in pin["files"]:
            assert (STATIC / "vendor" / package / name).stat().st_size > 0, (package, name)
    page = (STATIC / "graphiql.html").read_text() + (STATIC / "index.html").read_text()
    assert "http://" not in page and "https://" not in page

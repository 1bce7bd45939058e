"""The browser's part of tests/test_hosts.py, run in a process of its own (a test worker that
already drives a browser for the e2e tests has Playwright's event loop running): sign in at the
proxy, upload a file, wait for its check, import it. ``python -m tests.hosts_browser URL FILE
PASSWORD``; exit status 0 when the import succeeded."""

from __future__ import annotations

import sys

from playwright.sync_api import expect, sync_playwright

ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]


def main(url: str, path: str, password: str) -> int:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page()
        page.goto(f"{url}/data")
        page.fill("#name", "root")
        page.fill("#password", password)
        page.click("button[type=submit]")
        upload = page.locator("#data-upload input[type=file]")
        expect(upload).to_be_attached(timeout=30_000)
        upload.set_input_files(path)
        expect(page.locator("#data-upload-valid")).to_contain_text("valid (staff)", timeout=30_000)
        print("checked", flush=True)
        page.click("#data-import")
        expect(page.locator("#data-upload-done")).to_contain_text("as batch", timeout=30_000)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))

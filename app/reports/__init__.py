"""The committee report as a document: Swedish (or English) HTML and PDF (issue 20)."""

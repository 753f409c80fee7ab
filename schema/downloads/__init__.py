"""Downloads: exports of search pages and baskets, and account summaries, behind signed short-lived links."""

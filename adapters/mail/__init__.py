"""The gateway's mail: templates in French and English, a queue in the store, SMTP or an outbox folder.

How to send a mail (the schema gets the queue as `info.context.mail`, a `MailQueue`; the
values come from `adapters.mail.port`, the queue itself from `adapters.mail.queue`; this
package's `__init__` imports nothing, so the store can import the port without a cycle):

    status = await mail.enqueue(
        OutgoingMail(to="ines@example.org", language="fr", template="share_request",
                     context={"requester": "Camille Martin", "accept_url": url},
                     key=f"share-request:{request_id}")
    )

- `key` is an idempotency key: queueing it again (a retried mutation, a job resumed after
  a crash) returns the first mail's status and sends nothing more.
- `enqueue` checks the address (`InvalidAddress`, a ValueError: nothing queued) and renders
  the template once (`UnknownTemplate`, or a Jinja error for a missing variable: a bug).
- `context` is JSON; the template folder `templates/<template>/` holds `<lang>.subject.txt`,
  `<lang>.txt` and `<lang>.html` (HTML autoescaped) for "fr" and "en".
- The mail is recorded before `enqueue` returns; the gateway's background task
  (`worker.deliver_forever`) sends it, retrying with backoff, also after a restart.

How to know what happened to it:

- `await mail.status([key, ...])` -> {key: MailStatus}: `state` QUEUED, RETRYING (failed,
  will be tried again at `next_attempt_at`), SENT (`sent_at`) or FAILED (refused for good),
  with `attempts` and `last_error` (an error kind, kept after a later success: "failed,
  retried, sent" shows as SENT with attempts > 1 and a last_error).
- `Mailer.subscribe(listener)`: `await listener(status)` after the mail is queued and
  after each attempt (in the process that made it), e.g. to record "mail failed and
  retried" in an audit trail. A listener must be quick and must not raise.

Exactly once: a sender claims a mail in the store before each attempt, and marks it SENT in
its own transaction right after the server accepted it. The one gap left is a process
dying between the server's acceptance and that commit: the mail is then sent again after
the claim's lease (5 minutes), with the same Message-ID, which lets mail readers drop it.
Nothing here logs an address, a context value, a body or the SMTP password.
"""

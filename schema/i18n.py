"""User-facing messages in French (the default) and English.

Owns the message catalogue, keyed by the contract's codes (reason enums,
`UserError.code`, `extensions.code`). Never contains personal data: parameters
are filled in at the call site and only ever hold what the viewer may see.
"""

from __future__ import annotations

DEFAULT_LANGUAGE = "fr"

_MESSAGES: dict[str, dict[str, str]] = {
    # ---- renewals
    "MAX_RENEWALS_REACHED": {
        "fr": "Ce document a déjà été prolongé deux fois.",
        "en": "This item has already been renewed twice.",
    },
    "ONE_WEEK_LOAN": {
        "fr": "Les prêts d'une semaine ne peuvent pas être prolongés.",
        "en": "One-week loans cannot be renewed.",
    },
    "OVERDUE": {
        "fr": "Un document en retard ne peut pas être prolongé.",
        "en": "An overdue item cannot be renewed.",
    },
    "RESERVED_BY_ANOTHER_PATRON": {
        "fr": "Ce document est réservé par un autre usager.",
        "en": "Another patron has reserved this title.",
    },
    "DIGITAL_LOAN": {
        "fr": "Les prêts numériques se prolongent sur la plateforme de prêt.",
        "en": "Digital loans are renewed on the lending platform.",
    },
    "PATRON_BLOCKED": {
        "fr": "Votre compte est bloqué : contactez votre bibliothèque.",
        "en": "The account is blocked: please contact your library.",
    },
    "ILS_REFUSED": {
        "fr": "Le système de la bibliothèque a refusé : {message}",
        "en": "The library system refused: {message}",
    },
    # ---- holds
    "AVAILABLE_ON_SHELF": {
        "fr": "Un exemplaire est disponible en rayon : seuls les documents empruntés sont réservables.",
        "en": "A copy is on the shelf: only checked-out titles can be reserved.",
    },
    "NO_COPIES": {"fr": "Ce document n'a aucun exemplaire.", "en": "This title has no copies."},
    "DIGITAL_DOCUMENT": {
        "fr": "Les documents numériques ne se réservent pas.",
        "en": "Digital documents cannot be reserved.",
    },
    "MAX_HOLDS_REACHED": {
        "fr": "Vous avez déjà 10 réservations en cours.",
        "en": "The limit of 10 active holds is reached.",
    },
    "ALREADY_HELD": {
        "fr": "Ce document est déjà réservé sur ce compte.",
        "en": "This title is already on hold.",
    },
    "ALREADY_ON_LOAN": {
        "fr": "Ce document est déjà emprunté sur ce compte.",
        "en": "This title is already on loan.",
    },
    "NOT_SIGNED_IN": {"fr": "Connectez-vous pour réserver.", "en": "Sign in to reserve."},
    "INVALID_PICKUP_LIBRARY": {
        "fr": "Cette bibliothèque ne propose pas le retrait des réservations.",
        "en": "This library does not accept hold pickups.",
    },
    "HOLD_NOT_CANCELLABLE": {
        "fr": "Une réservation disponible ne peut plus être annulée.",
        "en": "A hold that is ready for pickup can no longer be cancelled.",
    },
    # ---- portal data (preferences, baskets, saved searches, alerts)
    "UNKNOWN_LIBRARIES": {
        "fr": "Bibliothèques inconnues : {codes}.",
        "en": "Unknown libraries: {codes}.",
    },
    "NAME_REQUIRED": {
        "fr": "Donnez un nom (1 à {maximum} caractères).",
        "en": "Give a name (1 to {maximum} characters).",
    },
    "NAME_TOO_LONG": {
        "fr": "Le nom ne doit pas dépasser {maximum} caractères.",
        "en": "The name must not be longer than {maximum} characters.",
    },
    "INVALID_NAME": {
        "fr": "Le nom contient des caractères interdits.",
        "en": "The name contains forbidden characters.",
    },
    "BASKET_NOT_FOUND": {"fr": "Panier introuvable.", "en": "Basket not found."},
    "BASKET_NAME_TAKEN": {
        "fr": "Vous avez déjà un panier nommé « {name} ».",
        "en": "You already have a basket named “{name}”.",
    },
    "TOO_MANY_BASKETS": {
        "fr": "Vous avez déjà {maximum} paniers : supprimez-en un pour en créer un autre.",
        "en": "You already have {maximum} baskets: delete one to create another.",
    },
    "TOO_MANY_BASKET_RECORDS": {
        "fr": "Un panier contient au plus {maximum} notices.",
        "en": "A basket holds at most {maximum} records.",
    },
    "UNKNOWN_RECORDS": {"fr": "Notices inconnues : {ids}.", "en": "Unknown records: {ids}."},
    "ALERT_NOT_FOUND": {"fr": "Liste de nouveautés introuvable.", "en": "New-arrivals list not found."},
    "DESCRIPTION_TOO_LONG": {
        "fr": "La description ne doit pas dépasser {maximum} caractères.",
        "en": "The description must not be longer than {maximum} characters.",
    },
    "SAVED_SEARCH_NOT_FOUND": {"fr": "Recherche enregistrée introuvable.", "en": "Saved search not found."},
    "SAVED_SEARCH_NAME_TAKEN": {
        "fr": "Vous avez déjà une recherche enregistrée nommée « {name} ».",
        "en": "You already have a saved search named “{name}”.",
    },
    "TOO_MANY_SAVED_SEARCHES": {
        "fr": (
            "Vous avez déjà {maximum} recherches enregistrées :"
            " supprimez-en une pour en enregistrer une autre."
        ),
        "en": "You already have {maximum} saved searches: delete one to save another.",
    },
    # ---- shared accounts (schema/sharing/, and the confirmation page)
    "INVALID_CARD_NUMBER": {
        "fr": "Saisissez le numéro de carte (code-barres) de l'usager.",
        "en": "Enter the patron's card number (barcode).",
    },
    "SHARE_WITH_SELF": {
        "fr": "C'est le numéro de votre propre carte.",
        "en": "This is your own card number.",
    },
    "SHARE_EXISTS": {
        "fr": "Ce compte est déjà partagé avec le vôtre.",
        "en": "This account is already shared with yours.",
    },
    "SHARE_REQUEST_PENDING": {
        "fr": "Une demande de partage pour ce compte attend déjà une réponse.",
        "en": "A share request for this account is already awaiting an answer.",
    },
    "TOO_MANY_PENDING_SHARE_REQUESTS": {
        "fr": "Vous avez déjà 10 demandes de partage en attente.",
        "en": "You already have 10 share requests awaiting an answer.",
    },
    "TOO_MANY_SHARE_REQUESTS_TODAY": {
        "fr": "Vous avez envoyé 20 demandes de partage en 24 heures : réessayez demain.",
        "en": "You have sent 20 share requests in 24 hours: please try again tomorrow.",
    },
    "SHARE_END_IN_PAST": {
        "fr": "La date de fin du partage doit être postérieure à aujourd'hui.",
        "en": "The share's end date must be after today.",
    },
    "SHARE_END_TOO_FAR": {
        "fr": "La date de fin du partage est trop lointaine (25 ans au plus).",
        "en": "The share's end date is too far away (25 years at most).",
    },
    "SHARE_REQUEST_NOT_FOUND": {"fr": "Demande de partage introuvable.", "en": "Share request not found."},
    "SHARE_REQUEST_EXPIRED": {
        "fr": "Cette demande de partage a expiré.",
        "en": "This share request has expired.",
    },
    "SHARE_REQUEST_ANSWERED": {
        "fr": "Cette demande de partage a déjà reçu une réponse.",
        "en": "This share request has already been answered.",
    },
    "SHARE_TOKEN_INVALID": {
        "fr": "Ce lien de partage n'est pas valide ou a déjà servi.",
        "en": "This share link is not valid or has already been used.",
    },
    "SHARE_TOKEN_OTHER_ACCOUNT": {
        "fr": "Ce lien concerne un autre compte que celui avec lequel vous êtes connecté.",
        "en": "This link is for another account than the one you are signed in with.",
    },
    "SHARE_NOT_FOUND": {"fr": "Partage introuvable.", "en": "Share not found."},
    # the confirmation page of an e-mailed link (gateway/routes/shares.py)
    "SHARE_PAGE_TITLE": {"fr": "Demande de partage de compte", "en": "Account share request"},
    "SHARE_PAGE_ASKS": {
        "fr": "{requester} demande à voir votre compte de lecteur (carte {card}).",
        "en": "{requester} asks to see your library account (card {card}).",
    },
    "SHARE_PAGE_SEES": {
        "fr": (
            "Si vous acceptez, cette personne verra vos prêts et vos"
            " réservations, sans se connecter à votre compte."
        ),
        "en": "If you accept, this person will see your loans and holds without signing in to your account.",
    },
    "SHARE_PAGE_NEVER": {
        "fr": (
            "Elle ne verra jamais vos coordonnées, vos paniers, vos"
            " recherches ni vos alertes, et ne pourra ni"
            " réserver ni annuler de réservation pour vous. Vous pourrez mettre fin au partage à tout moment."
        ),
        "en": (
            "They will never see your contact details, baskets,"
            " searches or alerts, and cannot place or cancel"
            " holds for you. You can end the share at any time."
        ),
    },
    "SHARE_PAGE_SCOPE": {"fr": "Ce que le partage permet", "en": "What the share allows"},
    "SHARE_PAGE_VIEW_AND_RENEW": {
        "fr": "Voir mes prêts et réservations, et prolonger mes prêts",
        "en": "See my loans and holds, and renew my loans",
    },
    "SHARE_PAGE_VIEW": {
        "fr": "Voir seulement mes prêts et réservations",
        "en": "Only see my loans and holds",
    },
    "SHARE_PAGE_END": {
        "fr": "Fin du partage (facultatif) : le partage cesse ce jour-là",
        "en": "End of the share (optional): the share stops on that day",
    },
    "SHARE_PAGE_EXPIRES": {
        "fr": "Sans réponse, cette demande expire le {date}.",
        "en": "Without an answer, this request expires on {date}.",
    },
    "SHARE_PAGE_ACCEPT": {"fr": "Accepter", "en": "Accept"},
    "SHARE_PAGE_DECLINE": {"fr": "Refuser", "en": "Decline"},
    "SHARE_PAGE_ACCEPTED": {
        "fr": (
            "C'est fait : {requester} voit désormais vos prêts et réservations."
            " Vous pouvez mettre fin au partage depuis votre compte."
        ),
        "en": "Done: {requester} now sees your loans and holds. You can end the share from your account.",
    },
    "SHARE_PAGE_DECLINED": {
        "fr": "Vous avez refusé la demande : {requester} ne voit rien de votre compte.",
        "en": "You declined the request: {requester} sees nothing of your account.",
    },
    "SHARE_PAGE_INVALID": {
        "fr": "Ce lien de partage n'est pas valide. Vérifiez que vous avez copié le lien en entier.",
        "en": "This share link is not valid. Check that you copied the whole link.",
    },
    "SHARE_PAGE_USED": {
        "fr": "Ce lien de partage a déjà servi : la demande a reçu une réponse.",
        "en": "This share link has already been used: the request has been answered.",
    },
    "SHARE_PAGE_EXPIRED": {
        "fr": "Ce lien de partage a expiré. La personne peut refaire une demande depuis son compte.",
        "en": "This share link has expired. The person can ask again from their account.",
    },
    "SHARE_PAGE_OTHER_ACCOUNT": {
        "fr": (
            "Ce lien concerne un autre compte que celui avec lequel vous"
            " êtes connecté : déconnectez-vous d'abord."
        ),
        "en": "This link is for another account than the one you are signed in with: sign out first.",
    },
    "SHARE_PAGE_FORM_EXPIRED": {
        "fr": "Le formulaire n'est plus valide : rouvrez le lien reçu par courriel.",
        "en": "The form is no longer valid: open the link from the e-mail again.",
    },
    "SHARE_PAGE_BAD_FORM": {
        "fr": "Le formulaire envoyé est incomplet ou invalide.",
        "en": "The form sent is incomplete or not valid.",
    },
    "SHARE_PAGE_UNAVAILABLE": {
        "fr": "Le service est momentanément indisponible : réessayez dans quelques minutes.",
        "en": "The service is temporarily unavailable: please try again in a few minutes.",
    },
    # ---- input and look-ups
    "LOAN_NOT_FOUND": {"fr": "Prêt introuvable.", "en": "Loan not found."},
    "HOLD_NOT_FOUND": {"fr": "Réservation introuvable.", "en": "Hold not found."},
    "RECORD_NOT_FOUND": {"fr": "Notice introuvable.", "en": "Record not found."},
    "INVALID_EMAIL": {"fr": "Adresse électronique invalide.", "en": "Invalid e-mail address."},
    "INVALID_PHONE": {"fr": "Numéro de téléphone invalide.", "en": "Invalid phone number."},
    "INVALID_CURSOR": {"fr": "Curseur de pagination invalide.", "en": "Invalid pagination cursor."},
    "INVALID_PAGE_SIZE": {
        "fr": "Le nombre de résultats demandé doit être entre 1 et {maximum}.",
        "en": "The page size must be between 1 and {maximum}.",
    },
    "PATRON_REQUIRED": {"fr": "Indiquez le compte concerné.", "en": "Name the account concerned."},
    "OUTCOME_UNKNOWN": {
        "fr": "Le système de la bibliothèque n'a pas confirmé l'opération ; vérifiez avant de réessayer.",
        "en": "The library system did not confirm the operation; check before trying again.",
    },
    "NOT_APPLIED": {
        "fr": "Le système de la bibliothèque ne répondait plus : rien n'a changé, vous pouvez réessayer.",
        "en": "The library system stopped answering: nothing was changed, you may try again.",
    },
    # ---- sign-in (UserError codes of login; added by H5)
    "INVALID_CREDENTIALS": {
        "fr": "Identifiant ou mot de passe incorrect.",
        "en": "Wrong identifier or password.",
    },
    "EMAIL_NOT_UNIQUE": {
        "fr": "Plusieurs comptes ont cette adresse : connectez-vous avec votre numéro de carte.",
        "en": "Several accounts share this e-mail: please sign in with your card number.",
    },
    "SIGN_IN_UNAVAILABLE": {
        "fr": "La connexion est momentanément indisponible : réessayez dans quelques minutes.",
        "en": "Sign-in is temporarily unavailable: please try again in a few minutes.",
    },
    # ---- downloads (the short pages of GET /downloads/{token}, and summary input)
    "DOWNLOAD_PAGE_TITLE": {"fr": "Téléchargement impossible", "en": "Download unavailable"},
    "DOWNLOAD_INVALID": {
        "fr": "Ce lien de téléchargement n'est pas valide. Relancez l'export depuis le portail.",
        "en": "This download link is not valid. Start the export again from the portal.",
    },
    "DOWNLOAD_EXPIRED": {
        "fr": "Ce lien de téléchargement a expiré. Relancez l'export depuis le portail.",
        "en": "This download link has expired. Start the export again from the portal.",
    },
    "DOWNLOAD_FORBIDDEN": {
        "fr": "Vous n'avez plus accès à ces données.",
        "en": "You no longer have access to this data.",
    },
    "DOWNLOAD_GONE": {
        "fr": "Ce que ce lien désignait n'existe plus.",
        "en": "What this link pointed to no longer exists.",
    },
    "DOWNLOAD_UNAVAILABLE": {
        "fr": "Le système de la bibliothèque ne répond pas pour le moment : réessayez dans quelques minutes.",
        "en": "The library system is not answering right now: please try again in a few minutes.",
    },
    "TOO_MANY_ACCOUNTS": {
        "fr": "Trop de comptes dans une seule synthèse : {limit} au plus.",
        "en": "Too many accounts in one summary: {limit} at most.",
    },
    # ---- GraphQL errors (extensions.code)
    "TOO_MANY_LOAN_IDS": {
        "fr": "Trop de prêts dans une seule demande : {limit} au plus.",
        "en": "Too many loans in one request: {limit} at most.",
    },
    "INVALID_IDEMPOTENCY_KEY": {
        "fr": "Clé d'idempotence invalide : 200 caractères au plus, sans caractère de contrôle.",
        "en": "Invalid idempotency key: at most 200 characters, no control characters.",
    },
    "IDEMPOTENCY_KEY_IN_PROGRESS": {
        "fr": "Une demande avec cette clé d'idempotence est encore en cours : réessayez dans un instant.",
        "en": "A request with this idempotency key is still under way: try again in a moment.",
    },
    "IDEMPOTENCY_KEY_REUSED": {
        "fr": "Cette clé d'idempotence a déjà servi pour une autre réservation.",
        "en": "This idempotency key was already used for another hold request.",
    },
    # ---- values the ILS cannot be sent (schema/input_guard.py: a UserError or a BAD_USER_INPUT)
    "INPUT_EMPTY": {
        "fr": "Valeur refusée pour « {field} » : elle est vide.",
        "en": "Value refused for “{field}”: it is empty.",
    },
    "INPUT_FORBIDDEN_CHARACTER": {
        "fr": (
            "Valeur refusée pour « {field} » : caractère interdit"
            " (« | », retour à la ligne ou autre caractère de contrôle)."
        ),
        "en": (
            "Value refused for “{field}”: forbidden character"
            " (“|”, a line break or another control character)."
        ),
    },
    "INPUT_NOT_ENCODABLE": {
        "fr": (
            "Valeur refusée pour « {field} » :"
            " un caractère ne peut pas être transmis au système de la bibliothèque."
        ),
        "en": "Value refused for “{field}”: a character cannot be sent to the library system.",
    },
    "INPUT_TOO_LONG": {
        "fr": "Valeur refusée pour « {field} » : {maximum} caractères au plus.",
        "en": "Value refused for “{field}”: {maximum} characters at most.",
    },
    "INPUT_TOO_MANY_BYTES": {
        "fr": (
            "Valeur refusée pour « {field} » :"
            " trop longue pour le système de la bibliothèque ({maximum} octets au plus)."
        ),
        "en": "Value refused for “{field}”: too long for the library system ({maximum} bytes at most).",
    },
    # ---- federation `_entities` (schema/entities.py; extensions.code BAD_USER_INPUT)
    "TOO_MANY_REPRESENTATIONS": {
        "fr": "Trop de représentations dans un seul appel à _entities : {actual} pour {limit} au plus.",
        "en": "Too many representations in one _entities call: {actual}, {limit} at most.",
    },
    "ENTITY_NOT_AN_OBJECT": {
        "fr": "Représentation {index} : un objet est attendu.",
        "en": "Representation {index}: an object is expected.",
    },
    "ENTITY_UNKNOWN_TYPE": {
        "fr": "Représentation {index} : __typename inconnu (types admis : {types}).",
        "en": "Representation {index}: unknown __typename (known types: {types}).",
    },
    "ENTITY_EXTRA_KEY": {
        "fr": "Représentation {index} : un {type} ne se désigne que par {keys}.",
        "en": "Representation {index}: a {type} is referred to by {keys} only.",
    },
    "ENTITY_MISSING_KEY": {
        "fr": "Représentation {index} : la clé « {key} » d'un {type} manque.",
        "en": "Representation {index}: the key “{key}” of a {type} is missing.",
    },
    "ENTITY_BAD_KEY": {
        "fr": "Représentation {index} : la clé « {key} » d'un {type} doit être un identifiant (texte).",
        "en": "Representation {index}: the key “{key}” of a {type} must be an ID (a string).",
    },
    "INVALID_SEARCH": {
        "fr": "Recherche impossible : texte trop long ou caractères interdits, ou bibliothèques inconnues.",
        "en": "This search cannot be run: text too long or with forbidden characters, or unknown libraries.",
    },
    # ---- document limits (gateway/security.py; extensions.code QUERY_TOO_COMPLEX)
    "QUERY_TOO_DEEP": {
        "fr": "Requête trop complexe : {actual} niveaux d'imbrication pour {limit} au plus.",
        "en": "Query too complex: {actual} levels of nesting, {limit} at most.",
    },
    "QUERY_TOO_MANY_ALIASES": {
        "fr": "Requête trop complexe : {actual} alias pour {limit} au plus.",
        "en": "Query too complex: {actual} aliases, {limit} at most.",
    },
    "QUERY_TOO_COSTLY": {
        "fr": (
            "Requête trop complexe : coût estimé {actual} pour {limit} au plus (chaque champ compte "
            "une fois par objet parent ; une liste compte son argument first, ou {list_size})."
        ),
        "en": (
            "Query too complex: estimated cost {actual}, {limit} at most (each field counts once per "
            "parent object; a list counts its first argument, or {list_size})."
        ),
    },
    "QUERY_TOO_MANY_FRAGMENTS": {
        "fr": "Requête trop complexe : {actual} fragments pour {limit} au plus.",
        "en": "Query too complex: {actual} fragments, {limit} at most.",
    },
    "QUERY_FIELD_REPEATED": {
        "fr": "Requête trop complexe : un même champ demandé {actual} fois au même niveau, {limit} au plus.",
        "en": "Query too complex: one field asked {actual} times at the same level, {limit} at most.",
    },
    "QUERY_TOO_LONG": {
        "fr": "Requête trop longue : plus de {limit} éléments (jetons).",
        "en": "Query too long: more than {limit} tokens.",
    },
    "INTROSPECTION_DISABLED": {
        "fr": "L'introspection du schéma est réservée au personnel.",
        "en": "Schema introspection is for staff only.",
    },
    "ONE_LOGIN_PER_REQUEST": {
        "fr": "Une seule connexion par requête.",
        "en": "At most one sign-in per request.",
    },
    # ---- HTTP requests refused before GraphQL (gateway/request_body.py)
    "REQUEST_TOO_LARGE": {
        "fr": "Requête trop volumineuse : {limit} Ko au plus.",
        "en": "Request too large: {limit} KB at most.",
    },
    "REQUEST_NOT_JSON": {
        "fr": "Le corps de la requête n'est pas du JSON valide.",
        "en": "The request body is not valid JSON.",
    },
    "REQUEST_BAD_ENCODING": {
        "fr": "Le corps de la requête doit être encodé en UTF-8.",
        "en": "The request body must be encoded in UTF-8.",
    },
    "REQUEST_TOO_DEEP": {
        "fr": "Le JSON de la requête est imbriqué trop profondément.",
        "en": "The request's JSON is nested too deeply.",
    },
    "REQUEST_NOT_AN_OBJECT": {
        "fr": "Le corps de la requête doit être un objet JSON (query, variables, operationName).",
        "en": "The request body must be a JSON object (query, variables, operationName).",
    },
    "REQUEST_CONTENT_TYPE": {
        "fr": "Envoyez la requête en JSON (Content-Type: application/json).",
        "en": "Send the request as JSON (Content-Type: application/json).",
    },
    "REQUEST_NO_QUERY": {
        "fr": "La requête ne contient aucun document GraphQL.",
        "en": "The request holds no GraphQL document.",
    },
    "REQUEST_BATCH": {
        "fr": "Une seule opération par requête : les lots ne sont pas acceptés.",
        "en": "One operation per request: batches are not accepted.",
    },
    "REQUEST_METHOD": {
        "fr": "Seules les méthodes GET et POST sont acceptées.",
        "en": "Only GET and POST are accepted.",
    },
    "REQUEST_REFUSED": {"fr": "Requête invalide. ({reason})", "en": "Invalid request. ({reason})"},
    "UNAUTHENTICATED": {"fr": "Connectez-vous pour continuer.", "en": "Please sign in."},
    "FORBIDDEN": {"fr": "Accès refusé.", "en": "Access denied."},
    "NOT_FOUND": {"fr": "Introuvable.", "en": "Not found."},
    "BAD_USER_INPUT": {"fr": "Requête invalide.", "en": "Invalid request."},
    "TOO_MANY_REQUESTS": {
        "fr": "Trop de tentatives : réessayez plus tard.",
        "en": "Too many attempts: please try again later.",
    },
    "ILS_UNAVAILABLE": {
        "fr": "Le système de la bibliothèque ne répond pas pour le moment.",
        "en": "The library system is not answering right now.",
    },
    "NOT_SUPPORTED_BY_ILS": {
        "fr": "Le système de la bibliothèque ne permet pas cette opération : voyez avec votre bibliothèque.",
        "en": "The library system does not offer this: please ask your library.",
    },
    "INTERNAL_SERVER_ERROR": {"fr": "Erreur interne.", "en": "Internal error."},
    "SERVICE_OVERLOADED": {
        "fr": "Le service est très sollicité : réessayez dans un instant.",
        "en": "The service is busy: please try again in a moment.",
    },
}


def normalize_language(language: str | None) -> str:
    """`en`, `en-GB` → `en`; anything we do not speak → French."""
    primary = (language or "").split(",")[0].split("-")[0].split(";")[0].strip().lower()
    return primary if primary in ("fr", "en") else DEFAULT_LANGUAGE


def translate(code: str, language: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """The message for `code` in `language` (French when unknown); the code itself if none exists."""
    messages = _MESSAGES.get(code)
    if messages is None:
        return code
    text = messages.get(normalize_language(language), messages[DEFAULT_LANGUAGE])
    return text.format(**params) if params else text


def has_message(code: str) -> bool:
    """Whether the catalogue knows `code` (tests check every enum value has a message)."""
    return code in _MESSAGES

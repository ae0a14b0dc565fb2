/**
 * The library of answer templates for contact forms (CCTP 2.1.5: "bibliothèque de réponses
 * types"). Synthetic wording written for the mock.
 *
 * Invariant: template ids are stable (`TPL-…`) and unique; `{firstName}` and `{lastName}`
 * are the only placeholders, filled from the insured person who wrote the form.
 */
import type { ReasonCode } from "../../sim/domain/vocabulary.js"

export interface Template {
  readonly id: string
  readonly title: string
  readonly reason: ReasonCode | null
  readonly body: string
}

const SIGNATURE = "\n\nCordialement,\nLe service d'assistance Mon espace santé (3422)"

export const TEMPLATES: ReadonlyArray<Template> = [
  { id: "TPL-ENROLMENT", title: "Aide à l'activation du profil", reason: "enrolmentHelp",
    body: "Bonjour {firstName} {lastName},\n\nPour activer votre profil, munissez-vous de votre carte Vitale et du code provisoire reçu par courrier ou courriel, puis suivez les étapes indiquées sur le site." + SIGNATURE },
  { id: "TPL-CV-SERIAL", title: "Numéro de série de la carte Vitale", reason: "cvSerialUnreadable",
    body: "Bonjour {firstName} {lastName},\n\nLe numéro de série figure au dos de votre carte Vitale, sous la puce. S'il est illisible, vous pouvez utiliser le code provisoire reçu lors de la notification." + SIGNATURE },
  { id: "TPL-GENERAL-INFO", title: "Présentation du service", reason: "generalInfo",
    body: "Bonjour {firstName} {lastName},\n\nMon espace santé est le service public qui vous permet de stocker et partager vos documents et données de santé en toute confidentialité." + SIGNATURE },
  { id: "TPL-OPPOSITION", title: "Opposition ou clôture", reason: "oppositionClosure",
    body: "Bonjour {firstName} {lastName},\n\nVotre demande a bien été prise en compte. Vous pouvez revenir sur votre choix à tout moment depuis le site." + SIGNATURE },
  { id: "TPL-SECOND-RL", title: "Délégation au second représentant légal", reason: "secondLegalRepresentative",
    body: "Bonjour {firstName} {lastName},\n\nLe représentant légal qui gère le profil peut ajouter ou retirer une délégation au second représentant depuis les paramètres du profil de l'enfant." + SIGNATURE },
  { id: "TPL-DOCUMENTS", title: "Incident sur les documents", reason: "incidentDocuments",
    body: "Bonjour {firstName} {lastName},\n\nNous avons transmis votre signalement à l'équipe technique. Vos documents restent conservés ; nous revenons vers vous dès que l'incident est résolu." + SIGNATURE },
  { id: "TPL-MESSAGING", title: "Incident sur la messagerie", reason: "incidentMessaging",
    body: "Bonjour {firstName} {lastName},\n\nVotre signalement concernant la messagerie sécurisée a été transmis à l'équipe technique." + SIGNATURE },
  { id: "TPL-SECURITY", title: "Sécurité et hébergement des données", reason: "securityDataHosting",
    body: "Bonjour {firstName} {lastName},\n\nVos données sont hébergées en France par un hébergeur certifié pour les données de santé, et seuls les professionnels que vous autorisez y accèdent." + SIGNATURE },
  { id: "TPL-OUT-OF-SCOPE", title: "Hors périmètre", reason: "outOfScope",
    body: "Bonjour {firstName} {lastName},\n\nVotre question ne concerne pas Mon espace santé. Nous vous invitons à contacter votre caisse d'assurance maladie." + SIGNATURE },
  { id: "TPL-GENERIC", title: "Réponse générique", reason: null,
    body: "Bonjour {firstName} {lastName},\n\nNous avons bien reçu votre message et y répondons ci-dessous." + SIGNATURE }
]

const BY_ID = new Map(TEMPLATES.map((t) => [t.id, t]))

export const findTemplate = (id: string): Template | undefined => BY_ID.get(id)

/** Fills the placeholders. */
export const renderTemplate = (t: Template, person: { firstName: string; lastName: string }): string =>
  t.body.replaceAll("{firstName}", person.firstName).replaceAll("{lastName}", person.lastName)

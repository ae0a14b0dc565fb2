/**
 * `staffing.sites`: where advisors work (CCTP 3.3.2 leaves the organisation free: one site,
 * several, a backup site, teleworking). A site has a name, a city and the VPN path its advisors
 * reach Odigo through (CCTP 8.1 names the VPN as a risk); teleworkers are a site of their own
 * kind — no building to lose, their own VPN path. Every shift (or weekly-plan row) then says
 * which site it belongs to (`site:`).
 *
 * Without `sites`, everything is one site, named `main` (IMPLICIT_SITE): a scenario without
 * sites runs exactly as before.
 *
 * Invariant: site names are unique; a shift or plan row names a site of the list.
 */
import * as Schema from "effect/Schema"

/** The name of the one site of a plan that lists none. */
export const IMPLICIT_SITE = "main"

export const SiteName = Schema.String.check(
  Schema.isPattern(/^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$/, { expected: "a site name of letters, digits, '-', '_' or '.' (at most 50)" })
)

export const Site = Schema.Struct({
  name: SiteName,
  /** Where the building is (shown in reports; CCTP 8.1: within 90 minutes by train of a CPAM). */
  city: Schema.optionalKey(Schema.String),
  /** The VPN path the site reaches Odigo through; sites sharing a path lose Odigo together (`vpnLoss`). Default: the site's own. */
  vpn: Schema.optionalKey(Schema.String),
  /** `building` (default) or `telework` (advisors at home: no building to lose, their own VPN path). */
  kind: Schema.optionalKey(Schema.Literals(["building", "telework"]).annotate({ expected: '"building" or "telework"' }))
})

export type Site = typeof Site.Type

/** Problems of a site list: duplicate names. */
export const siteListIssues = (sites: ReadonlyArray<Site>): Array<{ path: ReadonlyArray<PropertyKey>; issue: string }> => {
  const seen = new Map<string, number>()
  const issues: Array<{ path: ReadonlyArray<PropertyKey>; issue: string }> = []
  sites.forEach((s, i) => {
    const first = seen.get(s.name)
    if (first !== undefined) issues.push({ path: ["sites", i, "name"], issue: `site "${s.name}" is already sites[${first}]` })
    else seen.set(s.name, i)
  })
  return issues
}

/** The VPN path of a site (its own name when it gives none). */
export const vpnOf = (s: Site): string => s.vpn ?? `vpn:${s.name}`

// The part of autocannon's programmatic API the load bench uses (the package ships no types).
declare module "autocannon" {
  interface Options {
    readonly url: string
    readonly method?: "GET" | "POST" | "DELETE"
    readonly headers?: Readonly<Record<string, string>>
    readonly body?: string
    readonly connections?: number
    readonly overallRate?: number
    readonly duration?: number
  }
  interface Histogram {
    readonly average: number
    readonly p50: number
    readonly p90: number
    readonly p99: number
    readonly p99_9: number
    readonly max: number
  }
  interface Result {
    readonly requests: Histogram & { readonly total: number; readonly sent: number }
    readonly latency: Histogram
    readonly errors: number
    readonly non2xx: number
    readonly duration: number
  }
  function autocannon(options: Options): Promise<Result>
  export default autocannon
}

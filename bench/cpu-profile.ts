import { readFileSync } from 'node:fs';

/** The parts of V8's .cpuprofile (what `node --cpu-prof` writes) that a summary needs. */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

export interface TimeShare {
  name: string;
  /** Milliseconds of samples. */
  ms: number;
  /** Share of the busy (non-idle) samples. */
  share: number;
}

export interface ProfileSummary {
  busyMs: number;
  idleMs: number;
  /** Where the CPU was, by who owns the code: the gateway's files, each dependency, Node itself, GC. */
  byOwner: TimeShare[];
  /** Functions by self time (the code that was running). */
  bySelf: TimeShare[];
  /** The gateway's own functions by inclusive time (themselves and what they called). */
  oursInclusive: TimeShare[];
}

/** Reads a .cpuprofile and says where the time went. */
export function summarizeProfile(path: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const msPerSample = (profile.endTime - profile.startTime) / 1000 / Math.max(profile.samples.length, 1);
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const idle = profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').reduce((sum, n) => sum + (hits.get(n.id) ?? 0), 0);
  const busy = profile.samples.length - idle;

  const owner = new Map<string, number>();
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const visit = (id: number, ancestors: ReadonlySet<string>): number => {
    const node = nodes.get(id)!;
    const key = functionKey(node);
    const own = node.callFrame.functionName === '(idle)' ? 0 : (hits.get(id) ?? 0);
    add(owner, ownerOf(node), own);
    add(self, key, own);
    const inner = new Set(ancestors).add(key);
    let total = own;
    for (const child of node.children ?? []) total += visit(child, inner);
    // Recursion counts once, at its outermost call.
    if (!ancestors.has(key) && isOurs(node)) add(inclusive, key, total);
    return total;
  };
  const root = profile.nodes.find((n) => n.callFrame.functionName === '(root)') ?? profile.nodes[0]!;
  visit(root.id, new Set());

  const shares = (counts: Map<string, number>) =>
    [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, n]) => ({ name, ms: Math.round(n * msPerSample), share: n / Math.max(busy, 1) }));
  return { busyMs: Math.round(busy * msPerSample), idleMs: Math.round(idle * msPerSample), byOwner: shares(owner), bySelf: shares(self), oursInclusive: shares(inclusive) };
}

function add(counts: Map<string, number>, key: string, n: number): void {
  if (n > 0) counts.set(key, (counts.get(key) ?? 0) + n);
}

function functionKey(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  if (!url) return functionName || '(anonymous)';
  return `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}`;
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const dist = url.lastIndexOf('/dist/');
  if (dist >= 0) return `src/${url.slice(dist + '/dist/'.length)}`;
  return url.replace(/^file:\/\//, '');
}

function isOurs(node: ProfileNode): boolean {
  const url = node.callFrame.url;
  return url.includes('/dist/') && !url.includes('node_modules/');
}

/** The gateway, a dependency by package name, Node's own JavaScript, or V8's pseudo-frames (GC, program). */
function ownerOf(node: ProfileNode): string {
  const url = node.callFrame.url;
  if (!url) return node.callFrame.functionName.startsWith('(') ? node.callFrame.functionName : 'native (V8 builtins, JSON, crypto)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.startsWith('node:')) return 'node (http, streams, net)';
  return isOurs(node) ? 'notification-gateway' : url;
}

/** This process's loader flags (tsx) without `-e`/`-p` and their code, so a forked child runs its own file. */
export function loaderArgs(): string[] {
  const out: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const a = process.execArgv[i]!;
    if (['-e', '--eval', '-p', '--print'].includes(a)) i++;
    else if (!/^(--eval|--print)=/.test(a)) out.push(a);
  }
  return out;
}

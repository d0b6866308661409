import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import type { Logger } from 'pino';

/*
 * How LibreOffice is kept from the companion's secrets and from the network. A document is the
 * caller's: it may link images, sections or spreadsheets on any URL, and LibreOffice fetches linked
 * images while loading (seen with 7.4: a GET to the link, past the SSRF checks of src/outbound). So:
 *   - its environment is PATH, HOME (the job's own folder) and LANG, nothing of the companion's
 *     (encryption key, cloud credentials);
 *   - its profile is fresh per conversion, in the job folder, and says: never update links, block
 *     linked resources (BlockUntrustedRefererLinks), never run macros;
 *   - where the machine allows unprivileged namespaces, it runs in an empty network namespace
 *     (`unshare -rn`: only a loopback of its own), so no link, whatever the document says, reaches
 *     anything. The companion logs at start which isolation is in force.
 * Files: it runs as the companion's user; it is handed only its job folder, and the profile keeps it
 * from loading links, but it is not confined to that folder by the kernel (that needs a mount namespace).
 */

export type OfficeIsolation = 'network-namespace' | 'profile-only';

/** The profile settings every conversion starts from (LibreOffice's registrymodifications.xcu). */
export const OFFICE_PROFILE_SETTINGS = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>1</value></prop></item>
</oor:items>
`;
// Writer's Update/Link: 0 never, 1 on request, 2 always; Calc's: 0 always, 1 never, 2 on request.

/** Writes the fresh profile of one conversion into `profileDir` (LibreOffice fills in the rest). */
export async function writeOfficeProfile(profileDir: string): Promise<void> {
  await mkdir(join(profileDir, 'user'), { recursive: true });
  await writeFile(join(profileDir, 'user', 'registrymodifications.xcu'), OFFICE_PROFILE_SETTINGS, { mode: 0o600 });
}

/** The whole environment LibreOffice gets: where programs are, a home of its own, a language. */
export function officeEnvironment(soffice: string, jobDir: string): NodeJS.ProcessEnv {
  // soffice is a shell script that needs sh, dirname and friends; its own folder comes first.
  return { PATH: [dirname(soffice), '/usr/local/bin', '/usr/bin', '/bin'].join(delimiter), HOME: jobDir, LANG: 'C.UTF-8' };
}

let probing: Promise<{ isolation: OfficeIsolation; unshare?: string }> | undefined;

/**
 * Whether this machine runs programs in a network namespace of their own (`unshare -rn`, which needs
 * unprivileged user namespaces); probed once per process. `unshare` replaces itself with the program
 * (no fork), so killing the process group still stops LibreOffice.
 */
export function officeIsolation(): Promise<{ isolation: OfficeIsolation; unshare?: string }> {
  probing ??= (async () => {
    const unshare = await onPath('unshare');
    if (unshare === undefined || !(await succeeds(unshare, ['-rn', 'true']))) return { isolation: 'profile-only' as const };
    return { isolation: 'network-namespace' as const, unshare };
  })();
  return probing;
}

/** The command that runs `file args` under the isolation in force. */
export async function isolatedCommand(file: string, args: readonly string[]): Promise<{ file: string; args: string[] }> {
  const { unshare } = await officeIsolation();
  return unshare === undefined ? { file, args: [...args] } : { file: unshare, args: ['-rn', file, ...args] };
}

/** Logs, at start, how LibreOffice conversions are isolated on this machine. */
export async function logOfficeIsolation(logger: Pick<Logger, 'info' | 'warn'>): Promise<void> {
  const { isolation } = await officeIsolation();
  if (isolation === 'network-namespace') {
    logger.info({ isolation }, 'LibreOffice conversions run without network (own network namespace), with a minimal environment and a fresh profile that loads no links');
  } else {
    logger.warn(
      { isolation },
      'LibreOffice conversions run with a minimal environment and a fresh profile that loads no links, but with the network reachable: this machine does not allow unprivileged network namespaces (unshare -rn)',
    );
  }
}

async function onPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '' || !isAbsolute(dir)) continue;
    try {
      await access(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // Not here.
    }
  }
  return undefined;
}

function succeeds(file: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: 'ignore', env: { PATH: '/usr/bin:/bin' } });
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

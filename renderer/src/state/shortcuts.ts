/** What a keyboard shortcut does. */
export type ShortcutAction =
  | 'continue'
  | 'retry'
  | 'previousSibling'
  | 'nextSibling'
  | 'choose1'
  | 'choose2'
  | 'choose3'
  | 'stop'
  | 'undo'
  | 'redo'
  | 'play'
  | 'write'
  | 'map'
  | 'help';

export interface Shortcut {
  action: ShortcutAction;
  /** As shown in the help overlay. */
  keys: string;
  description: string;
  /** Works while typing in a text field too. */
  inFields: boolean;
  matches(event: KeyLike): boolean;
}

export type KeyLike = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

const plain = (e: KeyLike) => !e.ctrlKey && !e.metaKey && !e.altKey;
const altOnly = (e: KeyLike) => e.altKey && !e.ctrlKey && !e.metaKey;
/** Alt+letter by physical key: on a Mac, Option+R types "®", so `key` cannot be trusted. */
const altKey = (code: string) => (e: KeyLike) => altOnly(e) && !e.shiftKey && e.code === code;

/** Every shortcut, in the order the help overlay lists them. */
export const SHORTCUTS: readonly Shortcut[] = [
  {
    action: 'continue',
    keys: 'Ctrl+Enter (⌘+Enter)',
    description: 'Continue: write the next passage',
    inFields: true,
    matches: (e) => e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.altKey,
  },
  { action: 'choose1', keys: '1', description: 'Choose the first way forward', inFields: false, matches: (e) => plain(e) && e.key === '1' },
  { action: 'choose2', keys: '2', description: 'Choose the second way forward', inFields: false, matches: (e) => plain(e) && e.key === '2' },
  { action: 'choose3', keys: '3', description: 'Choose the third way forward', inFields: false, matches: (e) => plain(e) && e.key === '3' },
  { action: 'retry', keys: 'Alt+R', description: 'Retry the last passage (a new version beside it)', inFields: true, matches: altKey('KeyR') },
  {
    action: 'previousSibling',
    keys: 'Alt+←',
    description: 'Previous version of the last passage',
    inFields: false,
    matches: (e) => altOnly(e) && !e.shiftKey && e.key === 'ArrowLeft',
  },
  {
    action: 'nextSibling',
    keys: 'Alt+→',
    description: 'Next version of the last passage',
    inFields: false,
    matches: (e) => altOnly(e) && !e.shiftKey && e.key === 'ArrowRight',
  },
  { action: 'stop', keys: 'Esc', description: 'Stop writing', inFields: true, matches: (e) => e.key === 'Escape' },
  { action: 'undo', keys: 'Alt+Z', description: 'Undo: step back one passage', inFields: true, matches: altKey('KeyZ') },
  { action: 'redo', keys: 'Alt+Y', description: 'Redo: step forward again', inFields: true, matches: altKey('KeyY') },
  { action: 'play', keys: 'Alt+P', description: 'Show the story to play', inFields: true, matches: altKey('KeyP') },
  { action: 'write', keys: 'Alt+W', description: 'Show the manuscript to write', inFields: true, matches: altKey('KeyW') },
  { action: 'map', keys: 'Alt+M', description: 'Show the story map', inFields: true, matches: altKey('KeyM') },
  { action: 'help', keys: '? or F1', description: 'Show or hide this list', inFields: false, matches: (e) => e.key === '?' || e.key === 'F1' },
];

/** The shortcut an event triggers, if any; `inField` says whether focus is in a text field. */
export function findShortcut(event: KeyLike, inField: boolean): Shortcut | null {
  return SHORTCUTS.find((s) => (s.inFields || !inField || (s.action === 'help' && event.key === 'F1')) && s.matches(event)) ?? null;
}

/** True when keys typed into `target` are text, so single-key shortcuts must not fire. */
export function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  return !['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'color', 'file'].includes(target.type);
}

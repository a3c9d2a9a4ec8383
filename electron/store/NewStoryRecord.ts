import type { EngineSettingsPatch } from '../contract/index.js';
import type { NewNodeRecord } from './NewNodeRecord.js';

/** A new story: what the opening wrote, with its first passage as the root node. */
export interface NewStoryRecord {
  title: string;
  premise: string;
  genre?: string;
  style?: string;
  outline?: string;
  /** Settings of the story's own (checked); none: it follows the app's. */
  settings?: EngineSettingsPatch;
  root: NewNodeRecord;
}

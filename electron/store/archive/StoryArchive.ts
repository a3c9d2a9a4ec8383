import { z } from 'zod';
import { AvoidPhrases, CheckQuestion, EngineSettingsPatch, Instruction, MemoryEntry, NodeStats, Plan } from '../../contract/index.js';

/** The lossless export format. Bump the version (and keep reading the old ones) when its meaning changes. */
export const ARCHIVE_FORMAT = 'longtale-story';
export const ARCHIVE_VERSION = 3;

/** Bounds that keep a hostile file from exhausting memory or the database: far above any real story. */
export const ARCHIVE_LIMITS = { nodes: 200_000, passage: 100_000, text: 20_000, facts: 10_000 } as const;

const Text = (max: number) => z.string().max(max);
const Time = z.number().int().nonnegative().max(8_640_000_000_000_000);
const LocalId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const ArchiveNode = z
  .object({
    id: LocalId,
    parentId: LocalId.nullable(),
    siblingOrder: z.number().int().nonnegative().max(1_000_000),
    passage: Text(ARCHIVE_LIMITS.passage).refine((p) => p.trim().length > 0, 'a passage is empty'),
    summary: Text(ARCHIVE_LIMITS.text),
    instruction: Instruction,
    shortMemory: Text(ARCHIVE_LIMITS.passage),
    plans: z.array(Plan).max(3),
    keyMemory: z.array(MemoryEntry).max(10_000),
    stats: NodeStats,
    stale: z.boolean(),
    createdAt: Time,
    editedAt: Time.nullable(),
    visitedAt: Time.nullable(),
  })
  .strict();
export type ArchiveNode = z.infer<typeof ArchiveNode>;

export const StoryArchive = z
  .object({
    format: z.literal(ARCHIVE_FORMAT),
    // Version 1 had only facts for the whole story (strings), which later versions still write that way; version 3
    // added the story's own settings, phrases to avoid and saved checks, which earlier files lack (the story then
    // follows the app's settings, and has no saved checks).
    version: z.union([z.literal(1), z.literal(2), z.literal(ARCHIVE_VERSION)]),
    exportedAt: Time,
    story: z
      .object({
        title: Text(200).refine((t) => t.trim().length > 0, 'the title is empty'),
        premise: Text(ARCHIVE_LIMITS.text),
        genre: Text(200),
        style: Text(2000),
        outline: Text(ARCHIVE_LIMITS.text),
        /** The story's own generation settings, within the same bounds as the settings page's. */
        settings: EngineSettingsPatch.optional(),
        /** Phrases the story's passages never contain, besides the app's. */
        avoid: AvoidPhrases.optional(),
        createdAt: Time,
        updatedAt: Time,
      })
      .strict(),
    currentNodeId: LocalId,
    /** A fact for the whole story, or one that holds from a passage (by the file's node id) on, on its branch. */
    facts: z.array(z.union([Text(2000), z.object({ text: Text(2000), fromNodeId: LocalId }).strict()])).max(ARCHIVE_LIMITS.facts),
    nodes: z.array(ArchiveNode).min(1).max(ARCHIVE_LIMITS.nodes),
    /** Continuity checks kept with the story (since version 3). */
    checks: z.array(z.object(CheckQuestion).strict()).max(ARCHIVE_LIMITS.facts).optional(),
  })
  .strict();
export type StoryArchive = z.infer<typeof StoryArchive>;

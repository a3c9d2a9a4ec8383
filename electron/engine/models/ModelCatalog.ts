import { z } from 'zod';

export const ModelRole = z.enum(['writer', 'embedding']);
export type ModelRole = z.infer<typeof ModelRole>;

/** Hardware tiers: no GPU needed, and cards of about 4, 8 and 16 or more GB of VRAM. */
export const HardwareTier = z.enum(['cpu', '4gb', '8gb', '16gb']);
export type HardwareTier = z.infer<typeof HardwareTier>;

/** The VRAM (GB) a tier's models may ask for: cpu none, 4gb up to 4, 8gb up to 8, 16gb more than 8. */
const TIER_VRAM: Record<HardwareTier, [min: number, max: number]> = { cpu: [0, 0], '4gb': [0.1, 4], '8gb': [4.1, 8], '16gb': [8.1, 80] };

/** `hf:user/repo:QUANT` or `hf:user/repo/path/file.gguf` with an optional `#branch`, as node-llama-cpp resolves them. */
export const HF_URI = /^hf:[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*(?::[A-Za-z0-9_]+|(?:\/[\w.-]+)*\/[\w.-]+\.gguf(?:#[\w.-]+)?)$/;

export const CatalogEntry = z
  .object({
    /** Stable, lower-case: `longtale download ID`. */
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,63}$/, 'ids are lower-case letters, digits, dots and dashes'),
    name: z.string().trim().min(1).max(80),
    uri: z.string().regex(HF_URI, 'must be hf:user/repo:QUANT or hf:user/repo/file.gguf'),
    /** The file's size as the Hugging Face page shows it; the download checks the server's exact size. */
    sizeBytes: z.number().int().positive(),
    quantisation: z.string().regex(/^[A-Z0-9_]{2,12}$/, 'a quantisation name such as Q4_K_M'),
    licence: z.string().trim().min(2).max(80),
    /** Tokens the model was trained for; Longtale allocates less when memory is short. */
    contextLength: z.number().int().min(256),
    role: ModelRole,
    tier: HardwareTier,
    /** RAM to run it on the CPU alone. */
    minRamGb: z.number().positive().max(512),
    /** VRAM to hold every layer and an 8k context; 0 for models that need no GPU. */
    minVramGb: z.number().nonnegative().max(80),
    why: z.string().trim().min(10).max(160).regex(/^[^\n]*$/, 'one line'),
  })
  .strict()
  .superRefine((entry, ctx) => {
    const [min, max] = TIER_VRAM[entry.tier];
    if (entry.minVramGb < min || entry.minVramGb > max) {
      ctx.addIssue({ code: 'custom', path: ['minVramGb'], message: `a ${entry.tier} model asks for ${min}–${max} GB of VRAM, not ${entry.minVramGb}` });
    }
    if (!entry.uri.toUpperCase().includes(entry.quantisation)) {
      ctx.addIssue({ code: 'custom', path: ['quantisation'], message: `${entry.quantisation} does not appear in ${entry.uri}` });
    }
    if (entry.role === 'embedding' && entry.tier !== 'cpu') {
      ctx.addIssue({ code: 'custom', path: ['tier'], message: 'embedding models are small enough for any machine: tier cpu' });
    }
  });
export type CatalogEntry = z.infer<typeof CatalogEntry>;

export const ModelCatalog = z
  .object({ $comment: z.string().optional(), version: z.literal(1), models: z.array(CatalogEntry).min(1) })
  .strict()
  .superRefine((catalog, ctx) => {
    const seen = new Map<string, number>();
    catalog.models.forEach((entry, index) => {
      for (const key of [`id:${entry.id}`, `uri:${entry.uri}`]) {
        const first = seen.get(key);
        if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['models', index], message: `duplicate ${key} (also entry ${first})` });
        else seen.set(key, index);
      }
    });
  });
export type ModelCatalog = z.infer<typeof ModelCatalog>;

/** The file name a catalog model is saved under: the URI's file name, or `<id>.gguf` for the `:QUANT` form. */
export function catalogFileName(entry: CatalogEntry): string {
  const match = /^hf:[^/]+\/[^/:]+\/(?:.*\/)?([^/#]+\.gguf)(?:#.*)?$/.exec(entry.uri);
  return match?.[1] ?? `${entry.id}.gguf`;
}

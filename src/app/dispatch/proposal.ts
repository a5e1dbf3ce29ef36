/** What intelligent dispatch proposes for a request; built by proposeDispatch from the intelligence models. */
export type Named = { code: string; name: string };

export type Proposal = {
  category: (Named & { confidence: number; alternatives: (Named & { confidence: number })[] }) | null;
  urgency: 'emergency' | 'utility' | 'general' | 'complex';
  location: { district: Named | null; street: Named | null; community: Named | null; confidence: number; evidence: string[] };
  leadUnit: Named | null;
  coUnits: Named[];
  explanation: string[];
  /** Below the dispatch threshold (or no lead unit): the order goes to the review queue instead of straight out. */
  needsReview: boolean;
  confidence: number;
  repeats: { id: string; no: string; title: string; similarity: number; state: string }[];
  knowledge: { id: string; title: string; answer: string; score: number }[];
};

export type ProposalInput = {
  title: string;
  body: string;
  address?: string | undefined;
  lat?: number | undefined;
  lng?: number | undefined;
  excludeOrderId?: string;
  /** Look up knowledge-base answers (default true). At submit the agent has read them already: intake skips them. */
  knowledge?: boolean;
};

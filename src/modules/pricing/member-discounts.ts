/** Tier (会员等级) and card (卡项) discounts, per line, with the card's remaining limits for this member. */
import { assertNever } from '../../platform/errors.js';
import { allocate } from '../../platform/money.js';
import { formatRate, orderStep, tierLabel } from './explain.js';
import type { ExplanationStepKind } from './result.js';
import type { PricingSettings } from './schemas.js';
import { type CardState, cardRate, deduct, discountBase, type LineState, type Prepared, percentOffFen, type Run, tierRate } from './state.js';

type CardOffer = { card: CardState; rateBp: number; amountFen: number; units: number; isPlainRate: boolean };

const bestCardOffer = (state: LineState, cards: readonly CardState[], settings: PricingSettings): CardOffer | undefined => {
  let best: CardOffer | undefined;
  for (const card of cards) {
    if (card.status !== 'valid' || card.remainingFen === 0 || card.remainingUnits === 0) continue;
    const rateBp = cardRate(card.card, state.line);
    if (rateBp === undefined) continue;
    const base = discountBase(state, settings);
    const { quantity } = state.line;
    const units = Math.min(quantity, card.remainingUnits ?? quantity);
    // Only the units the member may still have discounted: their share of the line.
    const unitsBase = units === quantity ? base : (allocate(base, [units, quantity - units])[0] ?? 0);
    const full = Math.min(percentOffFen(unitsBase, rateBp), state.currentFen);
    const amountFen = Math.min(full, card.remainingFen ?? full);
    const isPlainRate = settings.percentageBase === 'current' && amountFen === percentOffFen(state.currentFen, rateBp);
    if (amountFen > 0 && (!best || amountFen > best.amountFen)) best = { card, rateBp, amountFen, units, isPlainRate };
  }
  return best;
};

export const applyMemberDiscounts = (run: Run, prepared: Prepared): void => {
  const { settings } = prepared;
  const tier = prepared.input.tier;
  let tierTotal = 0;
  const cardTotals = new Map<string, number>();

  const applyTier = (state: LineState, rateBp: number, amountFen: number) => {
    if (!tier || amountFen <= 0) return;
    const isPlainRate = settings.percentageBase === 'current' && amountFen === percentOffFen(state.currentFen, rateBp);
    deduct(state, { kind: 'tier_discount', label: `${tierLabel(tier.name)} ${formatRate(rateBp)}`, amountFen, sourceId: tier.id, rateBp }, isPlainRate);
    tierTotal += amountFen;
  };
  const applyCard = (state: LineState, offer: CardOffer) => {
    const { card } = offer;
    deduct(
      state,
      {
        kind: 'card_discount',
        label: `${card.card.name} ${formatRate(offer.rateBp)}`,
        amountFen: offer.amountFen,
        sourceId: card.card.id,
        rateBp: offer.rateBp,
      },
      offer.isPlainRate,
    );
    card.amountFen += offer.amountFen;
    card.lineIds.push(state.line.id);
    if (card.remainingFen !== null) card.remainingFen -= offer.amountFen;
    if (card.remainingUnits !== null) card.remainingUnits -= offer.units;
    cardTotals.set(card.card.id, (cardTotals.get(card.card.id) ?? 0) + offer.amountFen);
  };

  for (const state of run.states) {
    if (state.isDiscountBlocked || state.currentFen === 0) continue;
    const rate = tierRate(tier, state.line);
    const tierAmount = (rateBp: number | undefined) =>
      rateBp === undefined ? 0 : Math.min(percentOffFen(discountBase(state, settings), rateBp), state.currentFen);
    switch (settings.tierWithCard) {
      case 'best_of': {
        const tierOff = tierAmount(rate);
        const offer = bestCardOffer(state, run.cards, settings);
        // The better for the customer; on a tie the tier, which spends no card limit.
        if (offer && offer.amountFen > tierOff) applyCard(state, offer);
        else if (rate !== undefined) applyTier(state, rate, tierOff);
        break;
      }
      case 'multiply': {
        if (rate !== undefined) applyTier(state, rate, tierAmount(rate));
        const offer = bestCardOffer(state, run.cards, settings);
        if (offer) applyCard(state, offer);
        break;
      }
      default:
        assertNever(settings.tierWithCard);
    }
  }

  const step = (kind: ExplanationStepKind, options: { sourceId: string; label: string; amountFen: number }) => {
    run.subtotalFen -= options.amountFen;
    run.steps.push(orderStep(kind, { ...options, subtotalFen: run.subtotalFen }));
  };
  if (tier && tierTotal > 0) step('tier_discount', { sourceId: tier.id, label: `${tierLabel(tier.name)}折扣`, amountFen: tierTotal });
  for (const card of run.cards) {
    const amountFen = cardTotals.get(card.card.id) ?? 0;
    if (amountFen > 0) step('card_discount', { sourceId: card.card.id, label: `${card.card.name}折扣`, amountFen });
  }
};

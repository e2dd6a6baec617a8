import { type KeyboardEvent, useEffect, useRef } from 'react';

/**
 * A search box where Enter takes the first match even when it was pressed before the answer
 * arrived: the cashier types a phone tail or a short code and Enter at once. `fresh` holds the
 * results only while they answer what the box says now (undefined while they do not).
 */
export const useEnterPicksFirst = <T>({ term, fresh, onPick }: { term: string; fresh: readonly T[] | undefined; onPick: (first: T) => void }) => {
  const pending = useRef<string | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;

  useEffect(() => {
    if (pending.current === null || !fresh) return;
    const wanted = pending.current;
    pending.current = null;
    const first = fresh[0];
    if (wanted === term.trim() && first !== undefined) pick.current(first);
  }, [fresh, term]);

  const onInputKeyDown = (event: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    if (event.key !== 'Enter' || event.nativeEvent.isComposing) return;
    if (term.trim() !== '' && !fresh) {
      // Keep the select from treating it as "nothing to pick": that would close it and clear the text.
      event.preventDefault();
      event.stopPropagation();
      pending.current = term.trim();
    }
  };

  return { onInputKeyDown };
};

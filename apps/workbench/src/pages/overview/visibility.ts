// Which cards are on (or near) the screen: one IntersectionObserver for all of them. A card far off
// screen stops listening to its host, so 200 hosts updating every second re-render only the cards
// one can see; scrolled near, it listens again and catches up at once with the newest values.
import { useEffect, useState, type RefObject } from 'react';

type Callback = (visible: boolean) => void;

const callbacks = new WeakMap<Element, Callback>();
let observer: IntersectionObserver | undefined;

function shared(): IntersectionObserver {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const e of entries) callbacks.get(e.target)?.(e.isIntersecting);
    },
    // a screen's worth ahead, so scrolling rarely meets a card that is still catching up
    { rootMargin: '100% 0px' },
  );
  return observer;
}

/** Whether the element is on or near the screen (true until the observer has said otherwise). */
export function useNearScreen(ref: RefObject<Element | null>): boolean {
  const [near, setNear] = useState(true);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = shared();
    callbacks.set(el, setNear);
    io.observe(el);
    return () => {
      io.unobserve(el);
      callbacks.delete(el);
    };
  }, [ref]);
  return near;
}

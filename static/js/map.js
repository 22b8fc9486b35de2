// Leaflet maps of ESS actors (templates/actors/_map.html). No inline script (CSP): every map is a
// [data-map] element configured by data- attributes:
//   data-tile-url, data-tile-attribution   the tile server (settings MAP_TILE_URL, MAP_TILE_ATTRIBUTION)
//   data-geojson-url                       a FeatureCollection of actors (the current filters are in its query)
//   data-latitude, data-longitude, data-name, data-approximate   or a single actor's pin
// Actors located only at their commune's centre get a distinct, dashed marker ("localisation approximative").
// The map is an enhancement: the list of results next to it shows the same actors.
(function () {
  "use strict";

  var METROPOLE_CENTRE = [44.8638, -0.5856];
  var METROPOLE_ZOOM = 11;
  var SINGLE_ZOOM = 15;
  var EXACT_STYLE = { radius: 7, color: "#073f38", weight: 2, fillColor: "#0b5e54", fillOpacity: 0.85 };
  var APPROXIMATE_STYLE = { radius: 9, color: "#a3470b", weight: 2, dashArray: "4 3", fillColor: "#ffffff", fillOpacity: 0.6 };

  if (typeof window.L === "undefined") {
    return;
  }
  var L = window.L;

  function setStatus(element, text) {
    var status = element.parentNode.querySelector("[data-map-status]");
    if (status) {
      status.textContent = text;
    }
  }

  function popupContent(properties) {
    // Built with the DOM, never from an HTML string: names come from users.
    var container = document.createElement("div");
    var title = document.createElement("p");
    title.className = "map-popup-title";
    if (properties.url) {
      var link = document.createElement("a");
      link.href = properties.url;
      link.textContent = properties.name;
      title.appendChild(link);
    } else {
      title.textContent = properties.name;
    }
    container.appendChild(title);
    var details = [properties.legal_form, properties.commune].filter(Boolean).join(" · ");
    if (details) {
      var meta = document.createElement("p");
      meta.textContent = details;
      container.appendChild(meta);
    }
    if (properties.approximate) {
      var note = document.createElement("p");
      note.className = "map-popup-note";
      note.textContent = "Localisation approximative (centre de la commune)";
      container.appendChild(note);
    }
    return container;
  }

  function marker(latlng, properties) {
    var approximate = properties.approximate === true;
    var layer = L.circleMarker(latlng, approximate ? APPROXIMATE_STYLE : EXACT_STYLE);
    layer.bindPopup(popupContent(properties));
    layer.bindTooltip(properties.name + (approximate ? " (localisation approximative)" : ""));
    return layer;
  }

  function createMap(element) {
    var map = L.map(element, { preferCanvas: true, scrollWheelZoom: false });
    L.tileLayer(element.getAttribute("data-tile-url"), {
      attribution: element.getAttribute("data-tile-attribution") || "",
      maxZoom: 19,
    }).addTo(map);
    map.attributionControl.setPrefix(false);
    return map;
  }

  function showSingle(element) {
    var latlng = [parseFloat(element.getAttribute("data-latitude")), parseFloat(element.getAttribute("data-longitude"))];
    if (isNaN(latlng[0]) || isNaN(latlng[1])) {
      return;
    }
    var approximate = element.getAttribute("data-approximate") === "true";
    var map = createMap(element);
    map.setView(latlng, approximate ? 13 : SINGLE_ZOOM);
    var name = element.getAttribute("data-name") || "";
    if (approximate) {
      marker(latlng, { name: name, approximate: true }).addTo(map);
    } else {
      // One actor: Leaflet's usual pin. Its image URLs come from the page, since the static files' hashed
      // names (manifest storage) defeat Leaflet's own guess through leaflet.css.
      L.Icon.Default.imagePath = "";
      L.Icon.Default.mergeOptions({
        iconUrl: element.getAttribute("data-marker-icon"),
        iconRetinaUrl: element.getAttribute("data-marker-icon-2x"),
        shadowUrl: element.getAttribute("data-marker-shadow"),
      });
      L.marker(latlng, { title: name, alt: name, keyboard: false }).addTo(map);
    }
  }

  function showCollection(element) {
    var map = createMap(element);
    map.setView(METROPOLE_CENTRE, METROPOLE_ZOOM);
    setStatus(element, "Chargement de la carte…");
    fetch(element.getAttribute("data-geojson-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/geo+json, application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (collection) {
        var layer = L.geoJSON(collection, {
          pointToLayer: function (feature, latlng) {
            return marker(latlng, feature.properties || {});
          },
        }).addTo(map);
        var count = collection.features.length;
        if (count > 0) {
          map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: SINGLE_ZOOM - 1, animate: false });
        }
        var text = count === 0 ? "Aucune structure localisée à afficher sur la carte." : count + (count > 1 ? " structures localisées sur la carte." : " structure localisée sur la carte.");
        if (collection.truncated) {
          text = "La carte montre les " + count + " premières structures sur " + collection.total + " : précisez la recherche pour les voir toutes.";
        }
        setStatus(element, text);
      })
      .catch(function () {
        setStatus(element, "La carte n’a pas pu être chargée. La liste des structures reste disponible.");
      });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-map]"), function (element) {
    if (element.getAttribute("data-map-ready") === "true") {
      return; // the partial can be included twice on a page; each map is drawn once
    }
    element.setAttribute("data-map-ready", "true");
    if (element.hasAttribute("data-geojson-url")) {
      showCollection(element);
    } else {
      showSingle(element);
    }
  });
})();
